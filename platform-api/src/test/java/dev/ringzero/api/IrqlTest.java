package dev.ringzero.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IrqlTest {

    @AfterEach
    void backToPassive() {
        Irql.resetToPassive();
    }

    @Test
    void shouldStartAtPassiveAndRaiseAndLower() {
        assertThat(Irql.KeGetCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
        int old = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        assertThat(old).isEqualTo(Irql.PASSIVE_LEVEL);
        assertThat(Irql.KeGetCurrentIrql()).isEqualTo(Irql.DISPATCH_LEVEL);
        Irql.KeLowerIrql(old);
        assertThat(Irql.KeGetCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
    }

    @Test
    void shouldBugCheckWhenRaisingToALowerLevel() {
        Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        assertThatThrownBy(() -> Irql.KeRaiseIrql(Irql.APC_LEVEL))
                .isInstanceOfSatisfying(BugCheck.class, b -> {
                    assertThat(b.code()).isEqualTo(BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL);
                    assertThat(b.parameter1()).isEqualTo(Irql.DISPATCH_LEVEL);
                    assertThat(b.parameter2()).isEqualTo(Irql.APC_LEVEL);
                });
    }

    @Test
    void shouldBugCheckWhenLoweringToAHigherLevel() {
        assertThatThrownBy(() -> Irql.KeLowerIrql(Irql.DISPATCH_LEVEL))
                .isInstanceOfSatisfying(BugCheck.class,
                        b -> assertThat(b.code()).isEqualTo(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL));
    }

    @Test
    void shouldShowTheLevelThroughTheThreadsReaderAsItChanges() throws Exception {
        Irql.ThreadLevel level = Irql.threadLevel();
        assertThat(Irql.currentThreadLevel()).isSameAs(level);
        assertThat(level.getAsInt()).isEqualTo(Irql.PASSIVE_LEVEL);
        int old = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        assertThat(level.getAsInt()).isEqualTo(Irql.DISPATCH_LEVEL);
        Irql.KeLowerIrql(old);
        assertThat(level.getAsInt()).isEqualTo(Irql.PASSIVE_LEVEL);
        Irql.ThreadLevel[] other = new Irql.ThreadLevel[1];
        Thread t = Thread.ofPlatform().start(() -> other[0] = Irql.threadLevel());
        t.join();
        assertThat(other[0]).isNotSameAs(level);
    }

    @Test
    void shouldKeepIrqlPerThread() throws Exception {
        Irql.KeRaiseIrql(Irql.HIGH_LEVEL);
        int[] seen = new int[1];
        Thread t = Thread.ofPlatform().start(() -> seen[0] = Irql.KeGetCurrentIrql());
        t.join();
        assertThat(seen[0]).isEqualTo(Irql.PASSIVE_LEVEL);
    }
}
