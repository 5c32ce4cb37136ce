package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static dev.ringzero.api.memory.PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.memory.PoolTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configured limits give real allocation failures: NULL, or STATUS_INSUFFICIENT_RESOURCES raised. */
class PoolLimitsTest extends PoolFixture {

    private static final int TAG = PoolTag.of("timL");

    @Override
    Map<String, Object> configuration() {
        return Map.of(PoolConfig.NON_PAGED_POOL_LIMIT, "1M", PoolConfig.PAGED_POOL_LIMIT, 512 * 1024);
    }

    @Test
    void shouldReturnNullWhenThePoolIsExhaustedAndSucceedAgainAfterAFree() {
        List<Integer> blocks = new ArrayList<>();
        int a;
        while ((a = ex.ExAllocatePoolWithTag(NonPagedPool, 4096, TAG)) != 0) {
            blocks.add(a);
        }
        assertThat(blocks).hasSize(256);
        assertThat(pool.committedBytes(NonPagedPool)).isEqualTo(1 << 20);
        assertThatThrownBy(() -> ex.ExAllocatePoolWithTag(NonPagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE, 4096, TAG))
                .isInstanceOfSatisfying(NtStatusException.class,
                        e -> assertThat(e.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES))
                .hasMessageContaining("NumberOfBytes=4096").hasMessageContaining("Tag='Lmit'");
        ex.ExFreePoolWithTag(blocks.removeLast(), TAG);
        assertThat(ex.ExAllocatePoolWithTag(NonPagedPool, 4096, TAG)).isNotZero();
        assertThat(ex.ExAllocatePoolWithTag(PagedPool, 4096, TAG)).as("the other pool has its own limit").isNotZero();
    }

    @Test
    void shouldRefuseASingleRequestAboveTheLimit() {
        assertThat(ex.ExAllocatePoolWithTag(PagedPool, 600 * 1024, TAG)).isZero();
        assertThat(ex.ExAllocatePoolWithTag(PagedPool, 400 * 1024, TAG)).isNotZero();
    }

    @Test
    void shouldChargeSmallBlocksASlabAtATime() {
        int n = 0;
        while (ex.ExAllocatePoolWithTag(PagedPool, 4000, TAG) != 0) {
            n++;
        }
        assertThat(n).as("eight 64 KiB slabs of 16 blocks of 4096 bytes").isEqualTo(8 * 16);
        assertThat(pool.bytesInUse()).isEqualTo(4000L * n);
    }
}
