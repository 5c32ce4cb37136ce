package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two threads, over two million random allocations and frees (some blocks handed to the other thread
 * to free), sizes from every class: every block is stamped with its address while allocated, so a
 * block handed out twice is caught; at the end every block and byte is accounted for.
 */
@Tag("concurrency") // many threads, many rounds: surefire runs it, mutation testing leaves it out
class PoolConcurrencyTest extends PoolFixture {

    private static final int[] TAGS = {PoolTag.of("0trC"), PoolTag.of("1trC"), PoolTag.of("2trC"), PoolTag.of("3trC")};
    private static final int OPERATIONS_PER_THREAD = 1_100_000;

    @Override
    Map<String, Object> configuration() {
        return Map.of(PoolConfig.NON_PAGED_POOL_LIMIT, "256M", PoolConfig.PAGED_POOL_LIMIT, "256M");
    }

    record Block(int address, int tag, long size, boolean paged) {
    }

    /** Per thread: allocations and frees counted by (tag, paged), bytes asked for. */
    static final class Tally {
        final Map<String, long[]> byTag = new HashMap<>();

        void add(Block b, int allocs, int frees) {
            long[] t = byTag.computeIfAbsent(PoolTag.toString(b.tag) + (b.paged ? "/P" : "/N"), k -> new long[2]);
            t[0] += allocs;
            t[1] += frees;
        }
    }

    @Test
    void shouldAccountForEveryBlockAndByteAfterTwoThreadsOfRandomAllocationsAndFrees() throws Exception {
        long baseline = pool.bytesInUse();
        ConcurrentLinkedQueue<Block> handoff = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Tally[] tallies = {new Tally(), new Tally()};
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int id = t;
            threads[t] = Thread.ofPlatform().name("pool-stress-" + t).start(() -> {
                try {
                    start.await();
                    run(new SplittableRandom(42 + id), handoff, tallies[id]);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failure.get()).isNull();
        Block b;
        while ((b = handoff.poll()) != null) {
            check(b);
            ex.ExFreePoolWithTag(b.address, b.tag);
            tallies[0].add(b, 0, 1);
        }

        assertThat(pool.bytesInUse()).isEqualTo(baseline);
        assertThat(pool.outstanding(driver)).isEmpty();
        Map<String, long[]> expected = new HashMap<>();
        for (Tally tally : tallies) {
            tally.byTag.forEach((k, v) -> {
                long[] e = expected.computeIfAbsent(k, x -> new long[2]);
                e[0] += v[0];
                e[1] += v[1];
            });
        }
        List<PoolTagUsage> usage = pool.usage();
        long operations = 0;
        for (PoolTagUsage u : usage) {
            long[] e = expected.get(u.tagName() + (u.paged() ? "/P" : "/N"));
            assertThat(e).as("tag %s", u.tagName()).isNotNull();
            assertThat(u.allocs()).as("allocs of %s", u.tagName()).isEqualTo(e[0]);
            assertThat(u.frees()).as("frees of %s", u.tagName()).isEqualTo(e[1]);
            assertThat(u.outstanding()).isZero();
            assertThat(u.bytesInUse()).isZero();
            operations += u.allocs() + u.frees();
        }
        assertThat(usage).hasSize(expected.size());
        assertThat(operations).isGreaterThanOrEqualTo(2_000_000);
    }

    /**
     * Two threads freeing one huge block (or, with special pool, one special block) at the same instant:
     * both may pass the header check, but exactly one free goes through and the other is NT's double
     * free; the accounting counts one free. Without the atomic step both would release the block.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldLetExactlyOneOfTwoRacingFreesOfAHugeOrSpecialBlockThrough(boolean special) throws Exception {
        pool.setSpecialPool(driver, special);
        long size = special ? 200 : 512 * 1024; // a quarter of the fixture's 1 MiB chunk and up is a huge block
        int tag = PoolTag.of("ecaR");
        long baseline = pool.bytesInUse();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                int a = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, size, tag);
                assertThat(a).isNotZero();
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<BugCheck> free = () -> {
                    together.await();
                    try {
                        ex.ExFreePoolWithTag(a, tag);
                        return null;
                    } catch (BugCheck b) {
                        return b;
                    }
                };
                List<Future<BugCheck>> results = threads.invokeAll(List.of(free, free));
                List<BugCheck> checks = new ArrayList<>();
                for (Future<BugCheck> r : results) {
                    if (r.get() != null) {
                        checks.add(r.get());
                    }
                }
                assertThat(checks).as("round %d: one free goes through, the other is a double free", round).hasSize(1);
                BugCheck b = checks.getFirst();
                assertThat(b.code().code()).as("%s", b).isEqualTo(0xC2);
                assertThat(b.parameter1()).as("%s", b).isEqualTo(PoolBugChecks.DOUBLE_FREE);
                assertThat(pool.bytesInUse()).isEqualTo(baseline);
            }
        } finally {
            threads.shutdownNow();
        }
        PoolTagUsage usage = pool.usage().stream().filter(u -> u.tag() == tag).findFirst().orElseThrow();
        assertThat(usage.allocs()).isEqualTo(200);
        assertThat(usage.frees()).as("each block counted freed once").isEqualTo(200);
        assertThat(usage.bytesInUse()).isZero();
    }

    private void run(SplittableRandom random, ConcurrentLinkedQueue<Block> handoff, Tally tally) {
        Block[] live = new Block[512];
        int count = 0;
        for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
            boolean allocate = count == 0 || (count < live.length && random.nextInt(100) < 52);
            if (allocate) {
                int tag = TAGS[random.nextInt(TAGS.length)];
                boolean paged = random.nextBoolean();
                long size = size(random);
                int a = ex.ExAllocatePoolWithTag(paged ? PoolType.PagedPool : PoolType.NonPagedPool, size, tag);
                if (a == 0) {
                    throw new AssertionError("pool exhausted at " + size + " bytes");
                }
                memory.writeInt(a, a); // stamp: a block handed out twice would show another address
                Block b = new Block(a, tag, size, paged);
                live[count++] = b;
                tally.add(b, 1, 0);
            } else {
                int pick = random.nextInt(count);
                Block b = live[pick];
                live[pick] = live[--count];
                check(b);
                if (random.nextInt(8) == 0) {
                    handoff.add(b); // the other thread frees it
                } else {
                    ex.ExFreePoolWithTag(b.address, b.tag);
                    tally.add(b, 0, 1);
                }
                Block other = random.nextInt(4) == 0 ? handoff.poll() : null;
                if (other != null) {
                    check(other);
                    ex.ExFreePoolWithTag(other.address, other.tag);
                    tally.add(other, 0, 1);
                }
            }
        }
        for (int i = 0; i < count; i++) {
            check(live[i]);
            ex.ExFreePoolWithTag(live[i].address, live[i].tag);
            tally.add(live[i], 0, 1);
        }
    }

    private static long size(SplittableRandom random) {
        int r = random.nextInt(1000);
        if (r < 700) {
            return 4 + random.nextInt(252);
        }
        if (r < 950) {
            return 4 + random.nextInt(4077);
        }
        if (r < 998) {
            return 4081 + random.nextInt(61_000);
        }
        return 70_000 + random.nextInt(100_000);
    }

    private void check(Block b) {
        int stamp = memory.readInt(b.address);
        long size = memory.resolve(b.address).byteSize();
        if (stamp != b.address || size != b.size) {
            throw new AssertionError(String.format("block %08X (%d bytes) reads stamp %08X and size %d", b.address,
                    b.size, stamp, size));
        }
    }
}
