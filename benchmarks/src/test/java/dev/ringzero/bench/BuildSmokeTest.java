package dev.ringzero.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Checks the build itself: JDK 25 from the toolchain, JUnit, jqwik and the Mockito agent. Replace with real tests. */
class BuildSmokeTest {

    @Test
    void testsRunOnJdk25() {
        assertThat(Runtime.version().feature()).isEqualTo(25);
    }

    @Test
    void mockitoWorks() {
        Runnable task = mock(Runnable.class);
        task.run();
        verify(task).run();
    }

    @Property(tries = 20)
    boolean jqwikPropertiesRun(@ForAll int value) {
        return Integer.sum(value, 0) == value;
    }
}
