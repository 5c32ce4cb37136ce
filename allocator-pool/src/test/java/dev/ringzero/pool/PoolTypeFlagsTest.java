package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Pool-type flags the pool honours: zeroed allocations, cache alignment, NX and session bits. */
class PoolTypeFlagsTest extends PoolFixture {

    private static final int TAG = PoolTag.of("galF");

    @Test
    void shouldZeroAReusedBlockWhenAskedTo() {
        for (long size : new long[] {64, 9000, 100_000}) {
            int a = ex.ExAllocatePoolWithTag(PagedPool, size, TAG);
            memory.resolve(a).fill((byte) 0x5A);
            ex.ExFreePoolWithTag(a, TAG);
            int b = ex.ExAllocatePoolWithTag(PagedPool | PoolType.POOL_ZERO_ALLOCATION, size, TAG);
            assertThat(b).as("the same block comes back").isEqualTo(a);
            MemorySegment s = memory.resolve(b);
            for (long i = 0; i < size; i += 97) {
                assertThat(s.get(ValueLayout.JAVA_BYTE, i)).isZero();
            }
            ex.ExFreePoolWithTag(b, TAG);
        }
    }

    @Test
    void shouldServeCacheAlignedRequestsFromWholePages() {
        int a = ex.ExAllocatePoolWithTag(PoolType.NonPagedPoolCacheAligned, 40, TAG);
        int b = ex.ExAllocatePoolWithTag(PoolType.PagedPoolCacheAligned, 5000, TAG);
        assertThat(a % 64).isZero();
        assertThat(b % 64).isZero();
        assertThat(memory.resolve(a).byteSize()).isEqualTo(40);
        assertThat(pool.queryBlock(a).poolType()).isEqualTo(PoolType.NonPagedPoolCacheAligned);
        ex.ExFreePoolWithTag(a, TAG);
        ex.ExFreePoolWithTag(b, TAG);
    }

    @Test
    void shouldDrawNxAndSessionTypesFromTheirBasePool() {
        int nx = ex.ExAllocatePoolWithTag(PoolType.NonPagedPoolNx, 32, TAG);
        int session = ex.ExAllocatePoolWithTag(PagedPool | PoolType.SESSION_POOL_MASK, 32, TAG);
        assertThat(Integer.compareUnsigned(nx, 0xC000_0000)).as("non-paged").isLessThan(0);
        assertThat(Integer.compareUnsigned(session, 0xC000_0000)).as("paged").isGreaterThanOrEqualTo(0);
        assertThat(pool.queryBlock(nx).poolType()).isEqualTo(PoolType.NonPagedPoolNx);
        ex.ExFreePoolWithTag(nx, TAG);
        ex.ExFreePoolWithTag(session, TAG);
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldReclaimSpecialAndHugeBlocksToo() {
        pool.setSpecialPool(driver, true);
        ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG);
        ex.ExAllocatePoolWithTag(PagedPool, 5000, TAG);
        pool.setSpecialPool(driver, false);
        ex.ExAllocatePoolWithTag(PagedPool, 3 << 20, TAG);
        assertThat(pool.outstanding(driver)).hasSize(3);
        assertThat(pool.reclaim(driver)).isEqualTo(3);
        assertThat(pool.bytesInUse()).isZero();
        assertThat(pool.committedBytes(PagedPool)).isZero();
    }
}
