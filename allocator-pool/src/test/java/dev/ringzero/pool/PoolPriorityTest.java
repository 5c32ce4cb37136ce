package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_NON_PAGED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_PAGED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_RAISE_ON_FAILURE;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_USE_QUOTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.memory.PoolExtendedParameter;
import dev.ringzero.api.memory.PoolPriority;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Allocation failures of the modern calls in a pool with limits: raise on failure, quota blocks, and
 * {@code EX_POOL_PRIORITY}'s reserves (2 MiB for low, 512 KiB for normal priority, none for high).
 */
class PoolPriorityTest extends PoolFixture {

    private static final int TAG = PoolTag.of("oirP");
    private static final long MIB = 1 << 20;

    @Override
    Map<String, Object> configuration() {
        return Map.of(PoolConfig.NON_PAGED_POOL_LIMIT, "4M", PoolConfig.PAGED_POOL_LIMIT, "4M");
    }

    @Test
    void shouldReturnNullOrRaiseInsufficientResourcesWhenThePoolIsExhausted() {
        List<Integer> blocks = fill(POOL_FLAG_NON_PAGED);
        assertThat(blocks).hasSize(64);
        assertThat(ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 64 * 1024, TAG)).isZero();
        assertThat(ex.ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA, 64 * 1024, TAG))
                .as("a quota block fails with NULL too, unless the flags say raise").isZero();
        for (long flags : new long[] {POOL_FLAG_NON_PAGED, POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA}) {
            assertThatThrownBy(() -> ex.ExAllocatePool2(flags | POOL_FLAG_RAISE_ON_FAILURE, 64 * 1024, TAG))
                    .isInstanceOfSatisfying(NtStatusException.class,
                            e -> assertThat(e.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES))
                    .hasMessageContaining("NumberOfBytes=65536").hasMessageContaining("Tag='Prio'");
        }
        assertThat(ex.ExAllocatePool2(POOL_FLAG_PAGED, 64 * 1024, TAG)).as("the other pool has its own limit").isNotZero();
        blocks.forEach(ex::ExFreePool);
        assertThat(ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 64 * 1024, TAG)).isNotZero();
    }

    @Test
    void shouldKeepTheReserveOfEachPriorityFree() {
        // 4 MiB of pages: a low-priority request fits while 2 MiB stay free after it, a normal one 512 KiB
        List<Integer> blocks = new ArrayList<>();
        int a;
        while ((a = priority(PoolPriority.LowPoolPriority)) != 0) {
            blocks.add(a);
        }
        assertThat(pool.committedBytes(PoolType.NonPagedPoolNx)).isEqualTo(2 * MIB);
        while ((a = priority(PoolPriority.NormalPoolPriority)) != 0) {
            blocks.add(a);
        }
        assertThat(pool.committedBytes(PoolType.NonPagedPoolNx)).isEqualTo(4 * MIB - 512 * 1024);
        assertThat(priority(PoolPriority.LowPoolPrioritySpecialPoolOverrun)).as("special pool keeps the reserve too").isZero();
        while ((a = priority(PoolPriority.HighPoolPriority)) != 0) {
            blocks.add(a);
        }
        assertThat(pool.committedBytes(PoolType.NonPagedPoolNx)).isEqualTo(4 * MIB);
        assertThatThrownBy(() -> ex.ExAllocatePool3(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 64 * 1024, TAG,
                new PoolExtendedParameter[] {PoolExtendedParameter.priority(PoolPriority.HighPoolPriority)}, 1))
                .isInstanceOfSatisfying(NtStatusException.class,
                        e -> assertThat(e.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES));
        blocks.forEach(ex::ExFreePool);
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldApplyThePriorityOfTheOldCallToo() {
        int big = ex.ExAllocatePoolWithTagPriority(PoolType.PagedPool, 3 * MIB + 512 * 1024, TAG, PoolPriority.HighPoolPriority);
        assertThat(big).isNotZero();
        assertThat(ex.ExAllocatePoolWithTagPriority(PoolType.PagedPool, 64 * 1024, TAG, PoolPriority.NormalPoolPriority))
                .as("less than 512 KiB would be left").isZero();
        assertThatThrownBy(() -> ex.ExAllocatePoolWithTagPriority(PoolType.PagedPool | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE,
                64 * 1024, TAG, PoolPriority.LowPoolPriority)).isInstanceOf(NtStatusException.class);
        int zeroed = ex.ExAllocatePoolPriorityZero(PoolType.PagedPool, 64 * 1024, TAG, PoolPriority.HighPoolPriority);
        assertThat(zeroed).isNotZero();
        assertThat(pool.queryBlock(zeroed).poolType()).isEqualTo(PoolType.PagedPool | PoolType.POOL_ZERO_ALLOCATION);
        ex.ExFreePool(big);
        ex.ExFreePool(zeroed);
    }

    private int priority(int priority) {
        return ex.ExAllocatePool3(POOL_FLAG_NON_PAGED, 64 * 1024, TAG,
                new PoolExtendedParameter[] {PoolExtendedParameter.priority(priority)}, 1);
    }

    private List<Integer> fill(long flags) {
        List<Integer> blocks = new ArrayList<>();
        int a;
        while ((a = ex.ExAllocatePool2(flags, 64 * 1024, TAG)) != 0) {
            blocks.add(a);
        }
        return blocks;
    }

    @Test
    void shouldServeALowPriorityRequestOfExactlyWhatItsReserveLeaves() {
        long limit = 4 * MIB;
        long n = limit - pool.committedBytes(PoolType.NonPagedPool) - PoolPriority.LOW_PRIORITY_RESERVE;
        int a = ex.ExAllocatePoolWithTagPriority(PoolType.NonPagedPool, n, TAG, PoolPriority.LowPoolPriority);
        assertThat(a).as("%d bytes leave exactly the reserve", n).isNotZero();
        ex.ExFreePoolWithTag(a, TAG);
        assertThat(ex.ExAllocatePoolWithTagPriority(PoolType.NonPagedPool, n + 1, TAG, PoolPriority.LowPoolPriority))
                .isZero();
    }
}
