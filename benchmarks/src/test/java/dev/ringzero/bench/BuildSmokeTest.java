package dev.ringzero.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmarks compile and run on the toolchain's JDK 25, whatever JDK Maven itself runs on. */
class BuildSmokeTest {

    @Test
    void testsRunOnJdk25() {
        assertThat(Runtime.version().feature()).isEqualTo(25);
    }
}
