package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.memory.PoolAllocator;
import org.junit.jupiter.api.Test;

/** Which frames the allocation site passes over: the pool's and the API's, never the caller's or the JDK's. */
class ExecutiveFramesTest {

    private final ExecutiveFrames frames = ExecutiveFrames.discover();

    @Test
    void shouldCountThePoolsAndTheApisClassesAsTheExecutives() {
        assertThat(frames.contains(PoolEngine.class)).isTrue();
        assertThat(frames.contains(PoolView.class)).isTrue();
        assertThat(frames.contains(ExecutivePoolComponent.class)).isTrue();
        assertThat(frames.contains(PoolAllocator.class)).as("the API's default methods").isTrue();
        assertThat(frames.contains(BugCheck.class)).isTrue();
    }

    @Test
    void shouldNotCountTheCallerOrTheJdk() {
        assertThat(frames.contains(ExecutiveFramesTest.class)).as("a test stands where a driver would").isFalse();
        assertThat(frames.contains(String.class)).isFalse();
        assertThat(frames.contains(Runnable.class)).isFalse();
        Runnable lambda = () -> { };
        assertThat(frames.contains(lambda.getClass())).as("a hidden class").isFalse();
    }
}
