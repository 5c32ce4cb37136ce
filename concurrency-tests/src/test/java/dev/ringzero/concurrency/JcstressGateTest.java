package dev.ringzero.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JcstressGateTest {

    @Test
    void shouldDropJvmArgsAllSoThatJcstressDetectsEveryConfiguration() {
        assertThat(JcstressGate.withoutEveryConfiguration(new String[] {"-m", "quick", "-jvmArgs", "all", "-c", "2"}))
                .containsExactly("-m", "quick", "-c", "2");
    }

    @Test
    void shouldPassOtherJvmArgsOnUnchanged() {
        String[] args = {"-jvmArgs", "-XX:-TieredCompilation -XX:+StressLCM", "-t", "all"};
        assertThat(JcstressGate.withoutEveryConfiguration(args)).containsExactly(args);
    }
}
