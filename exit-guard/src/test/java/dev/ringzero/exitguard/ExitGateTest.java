package dev.ringzero.exitguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The gate alone, called directly (this JVM's {@code Runtime} is not rewritten: no test here exits). The policy
 * is set once per JVM, so one test walks through the gate's life: no policy, installed, refused, nested.
 */
class ExitGateTest {

    @Test
    void theGateShouldAskTheOnePolicyOnceAndLetItRefuse() {
        assertThat(ExitGate.armed()).as("no agent in this JVM").isFalse();
        ExitGate.check(1, false);   // no policy: nothing to ask, the exit would go on

        List<String> asked = new CopyOnWriteArrayList<>();
        ObjIntConsumer<Boolean> policy = (halt, status) -> {
            asked.add((halt ? "halt " : "exit ") + status);
            if (status == 7) {
                throw new IllegalStateException("refused " + status);
            }
            if (status == 8) {
                ExitGate.check(9, true);   // an exit the policy makes: not asked again
            }
        };
        assertThat(ExitGate.install(policy)).isTrue();
        assertThat(ExitGate.install((halt, status) -> asked.add("second policy"))).as("set once").isFalse();
        assertThatThrownBy(() -> ExitGate.install(null)).isInstanceOf(NullPointerException.class);

        ExitGate.check(2, false);
        ExitGate.check(3, true);
        assertThatThrownBy(() -> ExitGate.check(7, true)).isInstanceOf(IllegalStateException.class).hasMessage("refused 7");
        ExitGate.check(8, false);
        assertThat(asked).containsExactly("exit 2", "halt 3", "halt 7", "exit 8");
    }
}
