package dev.ringzero.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class BugCheckTest {

    @Test
    void shouldNameCodeAndParametersInItsMessage() {
        BugCheck b = new BugCheck(BugCheckCode.BAD_POOL_CALLER, 7, 0, 0x80001000L, 0x80001010L, "double free");
        assertThat(b.getMessage())
                .isEqualTo("BAD_POOL_CALLER (0xC2) (0x00000007, 0x00000000, 0x80001000, 0x80001010): double free");
        assertThat(b.describeParameters()).contains("Arg1: 0x00000007, violation type");
    }

    @Test
    void subCodeParametersShouldBeNamedForTheSubCodeNeverAsDependingOnTheType() {
        BugCheck wrongOwner = new BugCheck(BugCheckCode.BAD_POOL_CALLER, 0x0D, 0x80001010L, 0x6D736157L, 3, "owner");
        assertThat(wrongOwner.describeParameters().lines()).containsExactly(
                "Arg1: 0x0000000D, violation type: the caller freed a block another driver owns (Ringzero's own sub-code:"
                        + " NT keeps no pool owners)",
                "Arg2: 0x80001010, address of the block",
                "Arg3: 0x6D736157, the block's tag",
                "Arg4: 0x00000003, load instance of the driver that owns the block (Owner.instance, shown as NAME#instance)");
        BugCheck verifierDoubleFree = new BugCheck(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x14, 0, 0x80001000L, 9, "");
        assertThat(verifierDoubleFree.describeParameters()).contains("Arg3: 0x80001000, address of the pool header",
                "Arg4: 0x00000009, pool header contents (word 0)");
        assertThat(BugCheckCode.BAD_POOL_CALLER.subtype(0x07)).isEqualTo("the caller freed a block that was already free");
        assertThat(BugCheckCode.BAD_POOL_CALLER.subtype(0x55)).as("a sub-code Ringzero never raises").isEmpty();
        assertThat(BugCheckCode.BAD_POOL_CALLER.parametersFor(0x55)).isEqualTo(BugCheckCode.BAD_POOL_CALLER.parameters());
        for (long sub : new long[] {0x00, 0x07, 0x08, 0x09, 0x0A, 0x0D, 0x46, 0x9A, 0x9B, 0x9C, 0x9D}) {
            assertThat(BugCheckCode.BAD_POOL_CALLER.parametersFor(sub)).as("0xC2/0x%X", sub)
                    .noneMatch(p -> p.contains("depends on type"));
        }
    }

    @Test
    void shouldMapAnOutOfBoundsAccessToPageFaultInNonpagedArea() {
        BugCheck b;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(8);
            b = BugCheck.fromDriverFault(catching(() -> s.get(ValueLayout.JAVA_INT, 8)));
        }
        assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
    }

    @Test
    void shouldMapAnAccessToClosedMemoryToFreedSpecialPool() {
        Arena arena = Arena.ofConfined();
        MemorySegment s = arena.allocate(8);
        arena.close();
        BugCheck b = BugCheck.fromDriverFault(catching(() -> s.get(ValueLayout.JAVA_INT, 0)));
        assertThat(b.code()).isEqualTo(BugCheckCode.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL);
    }

    @Test
    void shouldMapOtherExceptionsToSystemThreadExceptionNotHandled() {
        BugCheck npe = BugCheck.fromDriverFault(new NullPointerException());
        assertThat(npe.code()).isEqualTo(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
        assertThat(npe.parameter1()).isEqualTo(0xC0000005L);
        BugCheck raised = BugCheck.fromDriverFault(new NtStatusException(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null));
        assertThat(raised.parameter1()).isEqualTo(0xC000009AL);
        BugCheck same = new BugCheck(BugCheckCode.BAD_POOL_CALLER, 1, 2, 3, 4, "");
        assertThat(BugCheck.fromDriverFault(same)).isSameAs(same);
    }

    @Test
    void shouldMapWhatOnlyTheExecutiveMayDoToAPrivilegedInstruction() {
        long privileged = NtStatus.STATUS_PRIVILEGED_INSTRUCTION.value() & 0xFFFF_FFFFL;
        assertThat(privileged).isEqualTo(0xC0000096L);
        for (Throwable refusal : new Throwable[] {new IllegalCallerException("Illegal native access"),
                new java.lang.reflect.InaccessibleObjectException("module x does not open y"), unsafeRefusal()}) {
            BugCheck b = BugCheck.fromDriverFault(refusal);
            assertThat(b.code()).as("%s", refusal).isEqualTo(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
            assertThat(b.parameter1()).as("%s", refusal).isEqualTo(privileged);
            assertThat(b.getCause()).isSameAs(refusal);
        }
        // an UnsupportedOperationException of anyone else's is no privilege refusal
        assertThat(BugCheck.fromDriverFault(new UnsupportedOperationException("not here")).parameter1())
                .isEqualTo(NtStatus.STATUS_UNSUCCESSFUL.value() & 0xFFFF_FFFFL);
    }

    /** What {@code sun.misc.Unsafe} throws when its memory access is denied: thrown from its own frame. */
    private static UnsupportedOperationException unsafeRefusal() {
        UnsupportedOperationException e = new UnsupportedOperationException("memory access denied");
        e.setStackTrace(new StackTraceElement[] {new StackTraceElement("sun.misc.Unsafe", "beforeMemoryAccess", "Unsafe.java", 1)});
        return e;
    }

    @Test
    void shouldMapAStackOverflowToAnUnexpectedKernelModeTrapWithADoubleFault() {
        BugCheck b = BugCheck.fromDriverFault(catching(BugCheckTest::recurse));
        assertThat(b.code()).isEqualTo(BugCheckCode.UNEXPECTED_KERNEL_MODE_TRAP);
        assertThat(b.code().code()).isEqualTo(0x7F);
        assertThat(b.parameter1()).isEqualTo(8);
        assertThat(b.getCause()).isInstanceOf(StackOverflowError.class);
        assertThat(b.getMessage()).startsWith("UNEXPECTED_KERNEL_MODE_TRAP (0x7F) (0x00000008, 0x00000000, 0x00000000, 0x00000000)");
        assertThat(b.describeParameters()).contains("Arg1: 0x00000008, trap number (8: double fault)");
    }

    private static int depth;

    private static void recurse() {
        depth++;
        recurse();
    }

    private static Throwable catching(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a fault");
    }
}
