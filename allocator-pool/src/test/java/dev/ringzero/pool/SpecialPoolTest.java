package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.memory.PoolTag;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verifier's special pool: each block its own arena, faults at the access that overruns or comes late. */
class SpecialPoolTest extends PoolFixture {

    private static final int TAG = PoolTag.of("lpsS");

    @ParameterizedTest
    @ValueSource(ints = {NonPagedPool, PagedPool})
    void shouldFaultD6AtTheFirstByteBeyondTheBlock(int poolType) {
        pool.setSpecialPool(driver, true);
        int a = ex.ExAllocatePoolWithTag(poolType, 100, TAG);
        MemorySegment s = memory.resolve(a);
        assertThat(s.byteSize()).isEqualTo(100);
        s.set(ValueLayout.JAVA_INT, 96, 7);
        IndexOutOfBoundsException overrun = catchOutOfBounds(() -> s.get(ValueLayout.JAVA_INT, 100));
        BugCheck b = pool.translateFault(overrun);
        assertBugCheck(b, 0xD6, u(a + 100), 0, 0, 0);
        assertThat(b.getCause()).isSameAs(overrun);
        assertThat(memory.addressOf(s.asSlice(10))).isEqualTo(a + 10);
    }

    @Test
    void shouldEndTheBlockAtItsPageEndBeforeAGuardPage() {
        pool.setSpecialPool(driver, true);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG);
        assertThat((a + 112) & 4095).as("end aligned to the page end (rounded to 16)").isZero();
        assertBugCheck(bugCheck(() -> memory.readInt(a + 112)), 0x50, u(a + 112), 0, 0, 0);
        int b = ex.ExAllocatePoolWithTag(NonPagedPool, 5000, TAG);
        assertThat(memory.resolve(b).byteSize()).isEqualTo(5000);
        assertThat(ex.ExQueryPoolBlockSize(b)).isEqualTo(5000);
    }

    @Test
    void shouldFaultD5WhenAFreedBlockIsTouchedAndBugCheckOnStaleAddresses() {
        pool.setSpecialPool(driver, true);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        MemorySegment kept = memory.resolve(a);
        kept.set(ValueLayout.JAVA_LONG, 0, 1L);
        ex.ExFreePoolWithTag(a, TAG);
        Throwable late = null;
        try {
            kept.get(ValueLayout.JAVA_LONG, 0);
        } catch (IllegalStateException e) {
            late = e;
        }
        assertThat(late).isNotNull().hasMessageContaining("closed");
        assertThat(pool.translateFault(late).code().code()).isEqualTo(0xD5);
        assertBugCheck(bugCheck(() -> memory.resolve(a)), 0x50, u(a), 0, 0, 0);
        assertThat(memory.peekInt(a)).isZero();
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, TAG)), 0xC2, 0x07, 0, 64, u(a));
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldMapAnOverrunOutsideSpecialPoolTo50WithTheAddress() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 24, TAG);
        MemorySegment s = memory.resolve(a);
        IndexOutOfBoundsException overrun = catchOutOfBounds(() -> s.get(ValueLayout.JAVA_LONG, 24));
        assertBugCheck(pool.translateFault(overrun), 0x50, u(a + 24), 0, 0, 0);
        assertThat(pool.translateFault(new NullPointerException()).code().code()).isEqualTo(0x7E);
    }

    @Test
    void shouldLeaveOtherOwnersOutOfSpecialPool() {
        pool.setSpecialPool(newOwner("Special"), true);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG);
        assertThat(pool.engine().find(a).kind).isEqualTo(PoolEngine.BlockRef.SMALL);
        pool.setSpecialPool(driver, true);
        int b = ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG);
        assertThat(pool.engine().find(b).kind).isEqualTo(PoolEngine.BlockRef.SPECIAL);
        pool.setSpecialPool(driver, false);
        ex.ExFreePoolWithTag(b, TAG);
        assertThatThrownBy(() -> memory.resolve(b)).isInstanceOf(BugCheck.class);
    }

    private static IndexOutOfBoundsException catchOutOfBounds(Runnable access) {
        try {
            access.run();
        } catch (IndexOutOfBoundsException e) {
            return e;
        }
        throw new AssertionError("the access did not fault");
    }
}
