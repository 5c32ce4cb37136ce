package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolFlags;
import dev.ringzero.api.memory.PoolPriority;
import dev.ringzero.api.memory.PoolTag;
import org.junit.jupiter.api.Test;

/** A revoked view (its driver unloaded): every call is 0xCE, allocates and frees nothing; other owners go on. */
class PoolRevokeTest extends PoolFixture {

    private static final int TAG = PoolTag.of("kveR");

    @Test
    void everyCallThroughARevokedViewShouldBe0xCEAndChangeNothing() {
        int small = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);   // the owner's tag is now cached for the fast path
        int big = ex.ExAllocatePoolWithTag(PagedPool, 8192, TAG);
        int freed = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        ex.ExFreePoolWithTag(freed, TAG);                              // its magazine holds a block for the fast path
        long inUse = pool.bytesInUse();

        pool.revoke(driver);

        for (int type : new int[] {NonPagedPool, PagedPool}) {
            for (long size : new long[] {64, 8192, 300_000}) {
                assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(type, size, TAG)), 0xCE, 0, 1, 0, 0);
            }
        }
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(small, TAG)), 0xCE, u(small), 1, 0, 0);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(big, TAG)), 0xCE, u(big), 1, 0, 0);
        assertBugCheck(bugCheck(() -> ex.ExFreePool(small)), 0xCE, u(small), 1, 0, 0);
        assertBugCheck(bugCheck(() -> ex.ExQueryPoolBlockSize(small)), 0xCE, u(small), 0, 0, 0);
        assertBugCheck(bugCheck(() -> ex.ExAllocatePool2(PoolFlags.POOL_FLAG_NON_PAGED, 64, TAG)), 0xCE, 0, 1, 0, 0);
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTagPriority(NonPagedPool, 64, TAG,
                PoolPriority.HighPoolPrioritySpecialPoolOverrun)), 0xCE, 0, 1, 0, 0);
        assertThat(bugCheck(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)).getMessage())
                .contains(driver.toString()).contains("ExAllocatePoolWithTag").contains("after it was unloaded");
        assertThat(pool.bytesInUse()).as("nothing allocated or freed").isEqualTo(inUse);

        PoolAllocator other = pool.forDriver(newOwner("Other"));
        int a = other.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        assertThat(a).isNotZero();
        other.ExFreePoolWithTag(a, TAG);

        assertThat(pool.reclaim(driver)).as("the host still reclaims the revoked owner's blocks").isEqualTo(2);
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void settingsChangedAfterRevocationShouldKeepTheViewRevoked() {
        pool.revoke(driver);
        pool.setVerified(driver, true);
        pool.setVerifiedByDefault(false);
        pool.setSpecialPool(driver, false);
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)), 0xCE, 0, 1, 0, 0);
    }
}
