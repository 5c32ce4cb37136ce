package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolTag;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pool's translation of a driver's fault into a stop code. The first two tests pin the JDK's messages, which the
 * translation parses for lack of an API: when a JDK words them otherwise, they fail here, by name, before any driver's
 * out-of-bounds access is reported with the fallback's 0x7E instead of 0x50 / 0xD6 at the referenced address.
 */
class FaultTranslationTest extends PoolFixture {

    private static final int TAG = PoolTag.of("tlaF");

    @Test
    void shouldFindTheJdkNativeSegmentFaultMessageExactlyInTheShapeTranslationParses() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(16);
            IndexOutOfBoundsException e = catchOutOfBounds(() -> s.get(ValueLayout.JAVA_LONG, 12));
            assertThat(e.getMessage()).isEqualTo(String.format(
                    "Out of bound access on segment MemorySegment{ kind: native, address: 0x%x, byteSize: 16 }; "
                            + "new offset = 12; new length = 8", s.address()));
            assertThat(FaultTranslation.parse(e.getMessage()))
                    .isEqualTo(new FaultTranslation.SegmentFault(s.address(), 16, 12, 8));
            IndexOutOfBoundsException below = catchOutOfBounds(() -> s.asSlice(4).get(ValueLayout.JAVA_INT, -4));
            assertThat(FaultTranslation.parse(below.getMessage()))
                    .as("a slice names its own base; a negative offset").isEqualTo(new FaultTranslation.SegmentFault(s.address() + 4, 12, -4, 4));
        }
    }

    @Test
    void shouldFindTheJdkHeapSegmentFaultMessageExactlyInTheShapeTranslationLeavesAlone() {
        byte[] array = new byte[8];
        MemorySegment h = MemorySegment.ofArray(array);
        IndexOutOfBoundsException e = catchOutOfBounds(() -> h.get(ValueLayout.JAVA_LONG, 4));
        assertThat(e.getMessage()).isEqualTo("Out of bound access on segment MemorySegment{ kind: heap, heapBase: " + array
                + ", address: 0x0, byteSize: 8 }; new offset = 4; new length = 8");
        assertThat(FaultTranslation.HEAP.matcher(e.getMessage()).matches()).isTrue();
        assertThat(FaultTranslation.parse(e.getMessage())).as("never read as a native segment").isNull();
        assertBugCheck(pool.translateFault(e), 0x50, 0, 0, 0, 0); // not the pool's: BugCheck.fromDriverFault, as before
    }

    @Test
    void shouldNameTheSystemAddressAnOverrunOfAPoolBlockReferenced() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 40, TAG);
        MemorySegment s = memory.resolve(a);
        IndexOutOfBoundsException e = catchOutOfBounds(() -> s.get(ValueLayout.JAVA_INT, 40));
        assertThat(FaultTranslation.parse(e.getMessage())).isEqualTo(new FaultTranslation.SegmentFault(s.address(), 40, 40, 4));
        BugCheck b = pool.translateFault(e);
        assertBugCheck(b, 0x50, u(a + 40), 0, 0, 0);
        assertThat(b.getCause()).isSameAs(e);
        ex.ExFreePoolWithTag(a, TAG);
    }

    @Test
    void shouldLeaveAFaultOnASegmentThatIsNotThePoolsToTheApisMapping() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment own = arena.allocate(8);
            assertBugCheck(pool.translateFault(catchOutOfBounds(() -> own.get(ValueLayout.JAVA_LONG, 4))), 0x50, 0, 0, 0, 0);
        }
    }

    @Test
    void shouldChargeAnOutOfBoundsFaultWhoseTextItCannotReadAs7EWithTheException() {
        int[] array = new int[3];
        List<IndexOutOfBoundsException> unreadable = List.of(
                catchOutOfBounds(() -> array[array.length] = 1),
                catchOutOfBounds(() -> List.of().get(0)),
                new IndexOutOfBoundsException(),
                // a JDK that words its segment faults otherwise: no address is made up from it
                new IndexOutOfBoundsException("Out of bounds access on segment MemorySegment{ address: 0x7f0000001000, "
                        + "byteSize: 16 }; offset = 16; length = 8"));
        for (IndexOutOfBoundsException e : unreadable) {
            BugCheck b = pool.translateFault(e);
            assertBugCheck(b, 0x7E, u(NtStatus.STATUS_ACCESS_VIOLATION.value()), 0, 0, 0);
            assertThat(b.getCause()).as("%s", e).isSameAs(e);
            String what = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            assertThat(b.getMessage()).as("the fault as it was thrown").contains(what).doesNotContain(": null");
        }
    }

    @Test
    void shouldLeaveEveryOtherFaultToTheApisMapping() {
        NullPointerException npe = new NullPointerException("x");
        BugCheck b = pool.translateFault(npe);
        assertBugCheck(b, 0x7E, u(NtStatus.STATUS_ACCESS_VIOLATION.value()), 0, 0, 0);
        assertThat(b.getCause()).isSameAs(npe);
        BugCheck already = BugCheck.fromDriverFault(new IllegalStateException("Already closed"));
        assertThat(pool.translateFault(already)).isSameAs(already);
    }
}
