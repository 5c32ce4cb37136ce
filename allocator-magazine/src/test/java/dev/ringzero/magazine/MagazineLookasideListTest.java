package dev.ringzero.magazine;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.spi.lookaside.LookasideHeader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What only the {@code magazine} implementation has: several threads, each with its own magazine in front
 * of the one S-list; counters folded from the threads; magazines of ended threads reaped by the tuner;
 * deletes and flushes while other threads hold entries; the tap's cached segments. Threads are joined or
 * handed work through executors, never slept on.
 */
class MagazineLookasideListTest extends MagazineFixture {

    @Override
    int stripes() {
        return 0;   // the cores' number, as the executive makes them
    }

    @Test
    void eachThreadCachesInItsOwnMagazineAndTheHeaderCountsThemAll() throws Exception {
        int l = list(64);
        int[] mine = allocate(l, 3);
        free(l, mine);
        int[] theirs = onWorker(() -> {
            int[] e = allocate(l, 5);                  // the worker sees an empty magazine and an empty depot: 5 misses
            free(l, e);
            return e;
        });
        assertThat(theirs).doesNotContain(mine);
        LookasideInfo info = lists.query(l);
        assertThat(info).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                LookasideInfo::totalFrees, LookasideInfo::freeMisses, LookasideInfo::currentDepth)
                .containsExactly(8L, 8L, 8L, 0L, 8);
        assertThat(allocate(l, 3)).containsExactly(mine[2], mine[1], mine[0]); // my magazine, LIFO
        assertThat(lists.query(l).allocateMisses()).isEqualTo(8);
    }

    @Test
    void aFullMagazineSpillsItsOlderHalfToTheDepotWhereAnotherThreadFindsIt() throws Exception {
        int l = list(256);
        int[] e = allocate(l, MagazineLookasideList.MAGAZINE_SIZE + 1);
        free(l, e);                                    // the 33rd free spills the 16 oldest to the S-list
        assertThat(depot(l)).isEqualTo(MagazineLookasideList.MAGAZINE_SIZE / 2);
        List<Integer> taken = onWorker(() -> {
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                got.add(lists.ExAllocateFromNPagedLookasideList(l));
            }
            return got;
        });
        // the depot's order: the newest spilled entry first
        List<Integer> expected = new ArrayList<>();
        for (int i = 15; i >= 0; i--) {
            expected.add(e[i]);
        }
        assertThat(taken).containsExactlyElementsOf(expected);
        assertThat(lists.query(l)).extracting(LookasideInfo::allocateMisses, LookasideInfo::totalAllocates)
                .containsExactly(33L, 49L);
    }

    @Test
    void aTapHandsBackTheSegmentItWasGiven() {
        int l = list(16);
        LookasideTap tap = lists.tap(l);
        MemorySegment a = tap.allocate();
        assertThat(a.byteSize()).isEqualTo(SIZE);
        tap.free(a);
        MemorySegment b = tap.allocate();
        assertThat(b).isSameAs(a);                     // cached, not resolved again: nothing allocated on the hit path
        tap.free(b);
        int viaRoutine = lists.ExAllocateFromNPagedLookasideList(l);  // the NT-style routine sees the same entry
        assertThat(viaRoutine).isEqualTo(executive.memory().addressOf(a));
        lists.ExFreeToNPagedLookasideList(l, viaRoutine);
        assertThat(executive.memory().addressOf(tap.allocate())).isEqualTo(viaRoutine);
    }

    @Test
    void aTapIsItsThreadsAndRefusesOthers() throws Exception {
        int l = list(16);
        LookasideTap tap = lists.tap(l);
        IllegalStateException e = onWorker(() -> catchThrowableOfType(IllegalStateException.class, tap::allocate));
        assertThat(e).hasMessageContaining("belongs to thread " + Thread.currentThread().getName());
    }

    @Test
    void aTapRefusesASegmentOfAnotherSize() {
        int l = list(16);
        LookasideTap tap = lists.tap(l);
        MemorySegment wrong = executive.memory().resolve(pool.ExAllocatePoolWithTag(NonPagedPool, 8, TAG), 8);
        assertThatThrownBy(() -> tap.free(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry size " + SIZE);
    }

    @Test
    void theTunerReapsTheMagazineOfAThreadThatEndedIntoTheDepot() throws Exception {
        int l = list(64);
        Thread t = new Thread(() -> free(l, allocate(l, 6)), "short-lived");
        t.start();
        t.join();
        assertThat(depot(l)).isZero();
        assertThat(lists.query(l).currentDepth()).isEqualTo(6);
        system.adjustLookasideDepth();                 // phase 0 scans the non-paged lists: reaps, then tunes
        assertThat(depot(l)).isEqualTo(6);
        assertThat(((MagazineLookasideList) system.lookup(l)).magazines()).singleElement().satisfies(m -> {
            assertThat(m.owner).as("free for the next thread").isNull();
            assertThat(m.count).isZero();
        });
        LookasideInfo info = lists.query(l);
        assertThat(info).extracting(LookasideInfo::totalAllocates, LookasideInfo::totalFrees,
                LookasideInfo::currentDepth).containsExactly(6L, 6L, 6);
        allocate(l, 6);                                // all hits now, from the depot
        assertThat(lists.query(l).allocateMisses()).isEqualTo(6);
        assertThat(lists.query(l).totalAllocates()).isEqualTo(12);
    }

    @Test
    void aShrunkDepthTrimsAMagazineAtItsNextOperation() {
        int l = list(32);
        free(l, allocate(l, 20));
        setDepth(l, 4);                                // the tuner's new cap: min(M, 4)
        int e = lists.ExAllocateFromNPagedLookasideList(l);
        MagazineLookasideList list = (MagazineLookasideList) system.lookup(l);
        // trimmed to cap = min(M, 4) = 4 before the allocation, which then took one of them
        assertThat(list.magazines().getFirst().count).isEqualTo(3);
        assertThat(depot(l)).as("the excess, spilled to the depot").isEqualTo(16);
        assertThat(lists.query(l).currentDepth()).isEqualTo(19); // nothing freed: the excess waits in the depot, as NT's S-list would
        lists.ExFreeToNPagedLookasideList(l, e);
        assertThat(lists.query(l).freeMisses()).isEqualTo(1);   // above Depth: a free miss
    }

    @Test
    void resetCountersFoldsEveryThreadsCountsFirstSoLaterFoldsAddOnlyWhatCameAfter() throws Exception {
        int l = list(64);
        free(l, allocate(l, 3));
        onWorker(() -> {
            free(l, allocate(l, 5));                   // counted in the worker's magazine
            return null;
        });
        assertThat(LookasideHeader.totalAllocates(header(l))).as("nothing folded into the header yet").isZero();
        LookasideInfo reset = system.resetCounters(l);
        assertThat(reset).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                LookasideInfo::totalFrees, LookasideInfo::freeMisses, LookasideInfo::currentDepth)
                .containsExactly(0L, 0L, 0L, 0L, 8);
        int[] theirs = onWorker(() -> allocate(l, 2)); // two hits in the worker's magazine
        assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                LookasideInfo::totalFrees, LookasideInfo::freeMisses).containsExactly(2L, 0L, 0L, 0L);
        free(l, allocate(l, 4));                       // three hits in mine, then one from the depot or a miss
        onWorker(() -> {
            free(l, theirs);
            return null;
        });
        LookasideInfo after = lists.query(l);
        assertThat(after).extracting(LookasideInfo::totalAllocates, LookasideInfo::totalFrees, LookasideInfo::freeMisses)
                .containsExactly(6L, 6L, 0L);
        assertThat(after.allocateMisses()).isEqualTo(1);  // my magazine held 3 and the depot none
    }

    @Test
    void setDepthFromTheDebuggerMakesEveryMagazineRecheckItsCapLikeTheTuner() throws Exception {
        int l = list(32);
        onWorker(() -> {
            free(l, allocate(l, 20));                  // the worker's magazine holds 20
            return null;
        });
        MagazineLookasideList list = (MagazineLookasideList) system.lookup(l);
        Magazine theirs = list.magazines().getFirst();
        system.setDepth(l, 4);
        assertThat(theirs.state & Magazine.RECHECK).as("signalled as the tuner signals").isNotZero();
        int e = onWorker(() -> lists.ExAllocateFromNPagedLookasideList(l));
        assertThat(theirs.state).isEqualTo(Magazine.ACTIVE);
        assertThat(onWorker(() -> theirs.count)).isEqualTo(3);   // trimmed to min(M, 4), then one allocated
        assertThat(depot(l)).as("the rest, in the depot").isEqualTo(16);
        assertThat(lists.query(l).currentDepth()).isEqualTo(19);
        onWorker(() -> {
            lists.ExFreeToNPagedLookasideList(l, e);   // 19 cached >= Depth 4: to the Free routine
            return null;
        });
        assertThat(lists.query(l).freeMisses()).isEqualTo(1);
        assertThat(freedByRoutine).containsExactly(e);
    }

    @Test
    void flushReturnsOtherThreadsEntriesAtTheirNextOperation() throws Exception {
        int l = list(64);
        int[] theirs = onWorker(() -> {
            int[] e = allocate(l, 3);
            free(l, e);
            return e;
        });
        int[] mine = allocate(l, 2);
        free(l, mine);
        lists.ExFlushLookasideListEx(l);
        assertThat(freedByRoutine).containsExactly(mine[1], mine[0]);
        onWorker(() -> lists.ExAllocateFromNPagedLookasideList(l)); // the worker's next call returns its magazine first
        assertThat(freedByRoutine).containsExactly(mine[1], mine[0], theirs[2], theirs[1], theirs[0]);
    }

    @Test
    void deleteStrandsALiveThreadsEntriesUntilItsNextCallWhichReturnsThemAndBugChecks() throws Exception {
        int l = list(64);
        LookasideTap[] tap = new LookasideTap[1];
        int[] theirs = onWorker(() -> {
            tap[0] = lists.tap(l);
            int[] e = allocate(l, 2);
            free(l, e);
            return e;
        });
        int mine = lists.ExAllocateFromNPagedLookasideList(l);
        lists.ExFreeToNPagedLookasideList(l, mine);
        lists.ExDeleteNPagedLookasideList(l);
        assertThat(freedByRoutine).containsExactly(mine);  // the deleting thread's own magazine
        BugCheck b = onWorker(() -> catchThrowableOfType(BugCheck.class, tap[0]::allocate));
        assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
        assertThat(b.parameter1()).isEqualTo(Integer.toUnsignedLong(l));
        assertThat(freedByRoutine).containsExactly(mine, theirs[1], theirs[0]);
        assertThat(executive.outstanding(DRIVER)).extracting(i -> i.address()).doesNotContain(theirs[0], theirs[1], mine);
        system.adjustLookasideDepth();
        assertThat(faults).isEmpty();
    }

    @Test
    void deleteStrandsAThreadsEntriesUntilTheTunerSeesThatItEnded() throws Exception {
        int l = list(64);
        CountDownLatch freed = new CountDownLatch(1);
        CountDownLatch deleted = new CountDownLatch(1);
        int[][] theirs = new int[1][];
        Thread t = new Thread(() -> {
            theirs[0] = allocate(l, 3);
            free(l, theirs[0]);
            freed.countDown();
            try {
                deleted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "outlives-the-delete");
        t.start();
        freed.await();
        lists.ExDeleteNPagedLookasideList(l);
        assertThat(freedByRoutine).isEmpty();          // the thread lives on: its magazine is owed, not touched
        system.adjustLookasideDepth();
        assertThat(freedByRoutine).isEmpty();
        deleted.countDown();
        t.join();
        system.adjustLookasideDepth();                 // the thread has ended: the tuner returns its entries
        assertThat(freedByRoutine).containsExactly(theirs[0][2], theirs[0][1], theirs[0][0]);
        system.adjustLookasideDepth();
        assertThat(freedByRoutine).hasSize(3);
        assertThat(faults).isEmpty();
    }

    @Test
    void purgeForgetsStrandedEntriesWithoutCallingTheFreeRoutine() throws Exception {
        int l = list(64);
        CountDownLatch freed = new CountDownLatch(1);
        CountDownLatch purged = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            free(l, allocate(l, 2));
            freed.countDown();
            try {
                purged.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "outlives-the-purge");
        t.start();
        freed.await();
        lists.ExDeleteNPagedLookasideList(l);
        system.purge(DRIVER);
        purged.countDown();
        t.join();
        system.adjustLookasideDepth();
        assertThat(freedByRoutine).isEmpty();
    }

    @Test
    void manyThreadsShareTheStripesAndNoEntryIsHandedOutTwice() throws Exception {
        int l = list(256);
        int threads = 40;
        ExecutorService many = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(many.submit(() -> {
                    start.await();
                    for (int round = 0; round < 50; round++) {
                        free(l, allocate(l, 20));
                    }
                    List<Integer> held = new ArrayList<>();
                    for (int x : allocate(l, 10)) {
                        held.add(x);
                    }
                    return held;
                }));
            }
            start.countDown();
            Set<Integer> seen = new HashSet<>();
            for (Future<List<Integer>> f : results) {
                for (int e : f.get(60, TimeUnit.SECONDS)) {
                    assertThat(seen.add(e)).as("entry %08X held by two threads", e).isTrue();
                }
            }
            LookasideInfo info = lists.query(l);
            assertThat(info.totalAllocates()).isEqualTo(threads * (50 * 20 + 10L));
            assertThat(info.totalFrees()).isEqualTo(threads * 50 * 20L);
            MagazineLookasideList list = (MagazineLookasideList) system.lookup(l);
            assertThat(list.magazines()).as("one magazine per stripe at most, however many threads")
                    .hasSizeLessThanOrEqualTo(list.stripes.count());
            assertThat(lists.query(l).currentDepth()).isLessThanOrEqualTo(list.maxCached(256));
        } finally {
            many.shutdownNow();
            assertThat(many.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theVerifierDisablesCachingInMagazinesToo() throws Exception {
        executive.setVerified(DRIVER, true);
        int l = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lists.ExInitializeNPagedLookasideList(l, null, null, 0, SIZE, TAG, 0);
        onWorker(() -> {
            free(l, allocate(l, 3));
            return null;
        });
        assertThat(lists.query(l)).extracting(LookasideInfo::allocateMisses, LookasideInfo::freeMisses,
                LookasideInfo::currentDepth).containsExactly(3L, 3L, 0);
    }
}
