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
import org.junit.jupiter.api.Tag;
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
    void shouldGiveTheSlabsOfOneSizeToAnotherOnceAllTheirBlocksAreFree() {
        int slabs = (1 << 20) / SizeClasses.SLAB_SIZE;
        for (int round = 0; round < 2; round++) {
            List<Integer> small = allocateAll(NonPagedPool, 64);
            assertThat(small).as("round %d", round).hasSize(slabs * SizeClasses.SLOTS[SizeClasses.classOf(64)]);
            assertThat(pool.committedBytes(NonPagedPool)).isEqualTo(1 << 20);
            freeAll(small);
            // the freed 64-byte slabs (some blocks still in this thread's magazine) go back to the pages
            List<Integer> large = allocateAll(NonPagedPool, 1000);
            assertThat(large).as("round %d", round).hasSize(slabs * SizeClasses.SLOTS[SizeClasses.classOf(1000)]);
            List<Integer> pages = allocateAll(PagedPool, 8192); // the other pool, page blocks
            freeAll(large);
            freeAll(pages);
        }
        List<Integer> paged = allocateAll(PagedPool, 100);
        assertThat(paged).as("the paged pool's page blocks went back too")
                .hasSize((512 * 1024 / SizeClasses.SLAB_SIZE) * SizeClasses.SLOTS[SizeClasses.classOf(100)]);
        freeAll(paged);
        assertThat(pool.bytesInUse()).isZero();
        assertThat(pool.usage()).allSatisfy(u -> assertThat(u.allocs()).isEqualTo(u.frees()));
    }

    @Tag("concurrency") // many threads for seconds: jcstress and surefire run it, mutation testing leaves it out
    @Test
    void shouldKeepEveryBlockApartWhileTwoThreadsExhaustThePoolWithDifferentSizes() throws Exception {
        long[] corrupted = new long[2];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int id = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                java.util.Random random = new java.util.Random(id);
                List<Integer> held = new ArrayList<>();
                for (int i = 0; i < 200_000; i++) {
                    if (held.isEmpty() || random.nextInt(3) != 0) {
                        int size = id == 0 ? 48 : 900 + random.nextInt(100);
                        int a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
                        if (a != 0) {
                            memory.resolve(a).fill((byte) (id + 1));
                            held.add(a);
                            continue;
                        }
                    }
                    int a = held.remove(random.nextInt(held.size()));
                    var block = memory.resolve(a);
                    for (long b = 0; b < block.byteSize(); b++) {
                        if (block.get(java.lang.foreign.ValueLayout.JAVA_BYTE, b) != id + 1) {
                            corrupted[id]++;
                            break;
                        }
                    }
                    ex.ExFreePoolWithTag(a, TAG);
                }
                freeAll(held);
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(corrupted).containsExactly(0, 0);
        assertThat(pool.bytesInUse()).isZero();
        List<Integer> all = allocateAll(NonPagedPool, 64);
        assertThat(all).as("the ended threads' blocks and slabs came back")
                .hasSize((1 << 20) / SizeClasses.SLAB_SIZE * SizeClasses.SLOTS[SizeClasses.classOf(64)]);
        freeAll(all);
    }

    private List<Integer> allocateAll(int poolType, int size) {
        List<Integer> blocks = new ArrayList<>();
        int a;
        while ((a = ex.ExAllocatePoolWithTag(poolType, size, TAG)) != 0) {
            blocks.add(a);
        }
        return blocks;
    }

    private void freeAll(List<Integer> blocks) {
        for (int a : blocks) {
            ex.ExFreePoolWithTag(a, TAG);
        }
        blocks.clear();
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
