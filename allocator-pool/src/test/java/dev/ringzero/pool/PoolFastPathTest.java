package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.Irql;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fast allocate and free test their conditions at once and leave every other case to the full
 * path: with the owner's tag already checked and its magazines filled (the state the fast path runs
 * in), every misuse still gets NT's bug check, and every block and byte is still counted.
 */
class PoolFastPathTest extends PoolFixture {

    private static final int TAG = PoolTag.of("tsaF");

    @BeforeEach
    void warmUp() {
        for (int i = 0; i < 100; i++) { // the tag checked, the magazines of both pools filled
            ex.ExFreePoolWithTag(ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG), TAG);
            ex.ExFreePoolWithTag(ex.ExAllocatePoolWithTag(PagedPool, 64, TAG), TAG);
        }
    }

    @Test
    void shouldCountEveryFastAllocationAndFreeExactly() {
        int[] blocks = new int[1000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = ex.ExAllocatePoolWithTag(i % 2 == 0 ? NonPagedPool : PagedPool, 1 + i % 4080, TAG);
        }
        long bytes = 0;
        for (int i = 0; i < blocks.length; i += 2) {
            bytes += 1 + i % 4080;
        }
        assertThat(pool.usage()).contains(new PoolTagUsage(TAG, false, 600, 100, bytes));
        for (int block : blocks) {
            ex.ExFreePoolWithTag(block, TAG);
        }
        assertThat(pool.usage()).containsExactly(new PoolTagUsage(TAG, false, 600, 600, 0),
                new PoolTagUsage(TAG, true, 600, 600, 0));
    }

    @Test
    void shouldCatchEveryMisuseAtFreeAfterTheFastPathRan() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, PoolTag.of("gnrW"))), 0xC2, 0x0A, u(a), u(TAG),
                u(PoolTag.of("gnrW")));
        PoolAllocator other = pool.forDriver(newOwner("Other"));
        assertBugCheck(bugCheck(() -> other.ExFreePoolWithTag(a, TAG)), 0xC2, 0x0D, u(a), u(TAG), driver.instance());
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a + 16, TAG)), 0xC2, 0x46, u(a + 16), 0, 0);
        int old = Irql.KeRaiseIrql(Irql.HIGH_LEVEL);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, TAG)), 0xC2, 0x09, 31, NonPagedPool, u(a));
        Irql.KeLowerIrql(old);
        ex.ExFreePoolWithTag(a, TAG);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, TAG)), 0xC2, 0x07, 0, 64, u(a));
    }

    @Test
    void shouldFreeWithTagZeroOrTheProtectedBitThroughTheFullChecks() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        int b = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        int c = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        // the checks that tag 0 (no tag to compare) and the PROTECTED_POOL bit still get: owner, IRQL, liveness
        PoolAllocator other = pool.forDriver(newOwner("Other"));
        assertBugCheck(bugCheck(() -> other.ExFreePool(c)), 0xC2, 0x0D, u(c), u(TAG), driver.instance());
        int old = Irql.KeRaiseIrql(Irql.HIGH_LEVEL);
        assertBugCheck(bugCheck(() -> ex.ExFreePool(c)), 0xC2, 0x09, 31, NonPagedPool, u(c));
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(c, TAG | PoolTag.PROTECTED_POOL)), 0xC2, 0x09, 31,
                NonPagedPool, u(c));
        Irql.KeLowerIrql(old);
        ex.ExFreePool(a);
        ex.ExFreePoolWithTag(b, TAG | PoolTag.PROTECTED_POOL);
        ex.ExFreePool(c);
        assertBugCheck(bugCheck(() -> ex.ExFreePool(a)), 0xC2, 0x07, 0, 64, u(a));
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(b, TAG | PoolTag.PROTECTED_POOL)), 0xC2, 0x07, 0, 64, u(b));
        assertThat(pool.usage()).as("each block counted freed once, under its tag")
                .contains(new PoolTagUsage(TAG, false, 103, 103, 0));
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldCheckTheIrqlAtAllocateForEachPool() {
        Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(PagedPool, 64, TAG)), 0xC2, 0x08, 2, 1, 64);
        ex.ExFreePoolWithTag(a, TAG);
    }

    @Test
    void shouldZeroAReusedBlockWhenAsked() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        memory.resolve(a).fill((byte) 0x5A);
        ex.ExFreePoolWithTag(a, TAG);
        int b = ex.ExAllocatePoolWithTag(NonPagedPool | PoolType.POOL_ZERO_ALLOCATION, 64, TAG);
        assertThat(b).isEqualTo(a); // the magazine's top: the same block
        MemorySegment s = memory.resolve(b);
        assertThat(s.byteSize()).isEqualTo(64);
        for (long i = 0; i < 64; i += 8) {
            assertThat(s.get(ValueLayout.JAVA_LONG, i)).isZero();
        }
        ex.ExFreePoolWithTag(b, TAG);
    }

    @Test
    void shouldServeTheSizesAroundTheSmallLimitAndRejectSizesNoPoolHolds() {
        for (long n : new long[] {1, 16, 4080, 4081, 4096, 65536, 65537}) {
            int a = ex.ExAllocatePoolWithTag(NonPagedPool, n, TAG);
            assertThat(memory.resolve(a).byteSize()).as("%d bytes", n).isEqualTo(n);
            ex.ExFreePoolWithTag(a, TAG);
        }
        assertThat(ex.ExAllocatePoolWithTag(NonPagedPool, Long.MAX_VALUE, TAG)).isZero();
        assertThat(ex.ExAllocatePoolWithTag(NonPagedPool, Long.MIN_VALUE, TAG)).isZero();
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldRefuseEveryCallOnceThePoolIsClosed() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        pool.close();
        assertThatThrownBy(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ex.ExFreePoolWithTag(a, TAG)).isInstanceOf(IllegalStateException.class);
        PoolAllocator late = pool.forDriver(newOwner("Late"));
        assertThatThrownBy(() -> late.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)).isInstanceOf(IllegalStateException.class);
    }
}
