package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * Two threads freeing one huge or special block at once, with the interleaving forced rather than hoped for: both
 * frees pass the header check (the block is live for both) before either marks the block freed — they meet at
 * {@link PoolEngine#afterFreeCheck}. The pool's release of such a block is atomic, so exactly one free goes through
 * and the other is NT's double free (0xC2/0x07), and the block is counted freed once. A pool that ignored the
 * release's answer (the bug this guards) lets both through, every run.
 */
class PoolFreeRaceTest extends PoolFixture {

    private static final int TAG = PoolTag.of("ecaR");
    private static final int C2 = 0xC2;
    /** Both threads reach the window at once; this only bounds a broken build's wait. */
    private static final long MEET_WITHIN_SECONDS = 30;

    @Test
    void twoFreesOfOneHugeBlockRacingPastTheCheckLetExactlyOneThrough() throws InterruptedException {
        long size = 2 << 20; // a quarter of a chunk or more: its own mapping
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
        assertThat(a).isNotZero();
        assertExactlyOneFreeGoesThrough(a, size);
    }

    @Test
    void twoFreesOfOneSpecialPoolBlockRacingPastTheCheckLetExactlyOneThrough() throws InterruptedException {
        pool.setSpecialPool(driver, true);
        long size = 200;
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
        assertThat(a).isNotZero();
        assertExactlyOneFreeGoesThrough(a, size);
    }

    private void assertExactlyOneFreeGoesThrough(int block, long size) throws InterruptedException {
        CyclicBarrier bothChecked = new CyclicBarrier(2);
        AtomicInteger inWindow = new AtomicInteger();
        pool.engine().afterFreeCheck = () -> {
            inWindow.incrementAndGet();
            try {
                bothChecked.await(MEET_WITHIN_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new AssertionError("the two frees did not both reach the window after the header check", e);
            }
        };
        AtomicReferenceArray<Throwable> outcome = new AtomicReferenceArray<>(2);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int me = i;
            threads.add(Thread.ofPlatform().name("free-" + i).start(() -> {
                try {
                    ex.ExFreePoolWithTag(block, TAG);
                } catch (Throwable t) {
                    outcome.set(me, t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        pool.engine().afterFreeCheck = null;
        assertThat(inWindow).as("both frees passed the header check: the race this test is about happened").hasValue(2);

        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            if (outcome.get(i) != null) {
                failures.add(outcome.get(i));
            }
        }
        assertThat(failures).as("one free returns, the other is the double free").singleElement()
                .isInstanceOfSatisfying(BugCheck.class, b -> assertBugCheck(b, C2, 0x07, 0, size, u(block)));
        assertThat(pool.usage()).filteredOn(u -> u.tag() == TAG).singleElement()
                .satisfies(u -> {
                    assertThat(u.allocs()).isEqualTo(1);
                    assertThat(u.frees()).as("counted freed once").isEqualTo(1);
                    assertThat(u.bytesInUse()).isZero();
                });
        assertThat(pool.bytesInUse()).isZero();
        assertThat(memory.isValid(block)).isFalse();
    }
}
