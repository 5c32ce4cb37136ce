package dev.ringzero.magazine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.spi.lookaside.LookasideHeader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The magazine's slow paths, one thread at a time: refills and spills keep NT's LIFO order and never hand an
 * entry out twice, whether slots hold addresses or a tap's segments; Depth caps a magazine; a flush, a Depth
 * change, a delete or a purge signalled from another thread is honoured at the owner's next operation, free as
 * well as allocate; the balance-set manager and a flush take over the magazines of threads that ended.
 */
class MagazineSlowPathsTest extends MagazineFixture {

    static final int M = MagazineLookasideList.MAGAZINE_SIZE;

    @Override
    int stripes() {
        return 0;
    }

    Magazine mine(int l) {
        return cache(l).magazine();
    }

    @Test
    void aRefillTakesHalfAMagazineFromTheDepot() {
        int l = list(256);
        int[] e = allocate(l, 2 * M);
        free(l, e);                                    // two spills of 16: the magazine holds 32, the depot 32
        assertThat(depot(l)).isEqualTo(M);
        allocate(l, M);                                // the magazine's 32
        int next = lists.ExAllocateFromNPagedLookasideList(l);
        assertThat(depot(l)).as("cap / 2 taken, one of them handed out").isEqualTo(M - M / 2);
        assertThat(mine(l).count).isEqualTo(M / 2 - 1);
        assertThat(next).isEqualTo(e[2 * (M / 2) - 1]); // the newest entry of the second spill
    }

    @Test
    void aSpillAndTheRefillAfterItHandOutEveryEntryOnceInLifoOrder() {
        int l = list(256);
        int[] e = allocate(l, M + 1);
        free(l, e);                                    // the 33rd free spills the 16 oldest
        assertThat(allocate(l, M + 1)).containsExactly(reversed(e));
        assertThat(lists.query(l).allocateMisses()).as("all hits the second time").isEqualTo(M + 1);
    }

    @Test
    void aTapsSpillAndRefillHandBackItsOwnSegmentsInLifoOrder() {
        int l = list(256);
        LookasideTap tap = lists.tap(l);
        MemorySegment[] s = new MemorySegment[M + 1];
        for (int i = 0; i < s.length; i++) {
            s[i] = tap.allocate();
        }
        for (MemorySegment x : s) {
            tap.free(x);                               // the last one spills the 16 oldest: their addresses to the depot
        }
        assertThat(depot(l)).isEqualTo(M / 2);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            got.add(addressOf(tap.allocate()));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = s.length - 1; i >= 0; i--) {
            expected.add(addressOf(s[i]));
        }
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void aFlushReturnsATapsSegmentsByTheirAddresses() {
        int l = list(64);
        LookasideTap tap = lists.tap(l);
        MemorySegment a = tap.allocate();
        MemorySegment b = tap.allocate();
        tap.free(a);
        tap.free(b);
        lists.ExFlushLookasideListEx(l);
        assertThat(freedByRoutine).containsExactly(addressOf(b), addressOf(a));
    }

    @Test
    void anNtStyleFreeIntoASlotATapUsedReplacesTheSlotsSegment() {
        int l = list(64);
        LookasideTap tap = lists.tap(l);
        MemorySegment a = tap.allocate();
        MemorySegment b = tap.allocate();
        tap.free(a);                                   // slot 0 holds a's segment
        assertThat(lists.ExAllocateFromNPagedLookasideList(l)).isEqualTo(addressOf(a)); // the slot keeps it
        lists.ExFreeToNPagedLookasideList(l, addressOf(b)); // slot 0 now holds b, by its address
        assertThat(lists.ExAllocateFromNPagedLookasideList(l)).isEqualTo(addressOf(b));
    }

    @Test
    void aRefillIntoSlotsATapUsedHandsOutTheDepotsEntriesNotTheTapsOldSegments() throws Exception {
        int l = list(256);
        LookasideTap tap = lists.tap(l);
        MemorySegment a = tap.allocate();
        MemorySegment b = tap.allocate();
        tap.free(a);
        tap.free(b);                                   // slots 0 and 1 hold the segments a and b
        assertThat(tap.allocate()).isSameAs(b);
        assertThat(tap.allocate()).isSameAs(a);        // the magazine is empty again, the segments left in its slots
        int[] theirs = onWorker(() -> {
            int[] e = allocate(l, M + 1);
            free(l, e);                                // the worker spills its 16 oldest to the depot
            return e;
        });
        int[] got = allocate(l, M / 2);                // a refill into those slots
        assertThat(got).containsExactly(reversed(Arrays.copyOf(theirs, M / 2)));
        assertThat(got).doesNotContain(addressOf(a), addressOf(b));
    }

    @Test
    void aTapsFreeAtTheMagazinesLimitIsAMissOnceMagazineAndDepotHoldDepth() {
        int l = list(2);
        LookasideTap tap = lists.tap(l);
        MemorySegment[] s = {tap.allocate(), tap.allocate(), tap.allocate()};
        for (MemorySegment x : s) {
            tap.free(x);
        }
        assertThat(freedByRoutine).containsExactly(addressOf(s[2]));
        LookasideInfo info = lists.query(l);
        assertThat(info).extracting(LookasideInfo::totalFrees, LookasideInfo::freeMisses, LookasideInfo::currentDepth)
                .containsExactly(3L, 1L, 2);
    }

    @Test
    void aShrunkDepthSpillsTheOldestEntriesToTheDepotInLifoOrder() throws Exception {
        int l = list(32);
        int[] e = allocate(l, 20);
        free(l, e);
        setDepth(l, 4);
        assertThat(lists.ExAllocateFromNPagedLookasideList(l)).isEqualTo(e[19]); // trimmed to 4 first
        assertThat(mine(l).count).isEqualTo(3);
        int[] fromDepot = onWorker(() -> allocate(l, 16));
        assertThat(fromDepot).containsExactly(reversed(Arrays.copyOf(e, 16)));
    }

    @Test
    void aMagazineHoldingExactlyTheNewCapKeepsAll() {
        int l = list(32);
        int[] e = allocate(l, 4);
        free(l, e);
        setDepth(l, 4);
        assertThat(lists.ExAllocateFromNPagedLookasideList(l)).isEqualTo(e[3]);
        assertThat(depot(l)).isZero();
        assertThat(mine(l).count).isEqualTo(3);
    }

    @Test
    void aDepthWrittenIntoTheHeaderWithoutTheSignalStillCapsTheMagazineAtItsNextFreeMiss() throws Exception {
        int l = list(64);
        int[] e = allocate(l, M + 1);
        free(l, Arrays.copyOf(e, M));                  // the magazine full: its hit path takes no more
        LookasideHeader.setDepth(header(l), 4);       // a driver writing its header's Depth: no depthChanged
        free(l, e[M]);
        assertThat(mine(l).count).as("trimmed to min(M, 4)").isEqualTo(4);
        assertThat(depot(l)).isEqualTo(M - 4);
        assertThat(freedByRoutine).as("4 + 28 cached >= Depth 4: a miss").containsExactly(e[M]);
        assertThat(onWorker(() -> allocate(l, 2))).containsExactly(e[M - 5], e[M - 6]); // the depot's newest first
    }

    /**
     * The hit path decides a free on {@code limit = min(cap, Depth - depot)} as the owner last computed it, never
     * reading the shared header (the class comment's "Allocate and free"): another thread's spill since then does
     * not turn it into a miss; the owner's next slow path sees the depot again.
     */
    @Test
    void aFreeOnTheHitPathDecidesOnTheDepotAsTheOwnerLastSawIt() throws Exception {
        int l = list(40);
        int[] e = allocate(l, 31);                     // misses: limit = min(32, 40 - 0) = 32
        free(l, Arrays.copyOf(e, 30));
        onWorker(() -> {
            free(l, allocate(l, M + 1));               // the worker's 33rd free spills 16 into the depot
            return null;
        });
        assertThat(depot(l)).isEqualTo(M / 2);
        free(l, e[30]);                                // 30 + 16 >= 40 by NT's rule, but the hit path caches it
        assertThat(mine(l).count).isEqualTo(31);
        assertThat(freedByRoutine).isEmpty();
        int[] w = onWorker(() -> allocate(l, 2));      // two entries from the worker's magazine
        free(l, w[0]);                                 // 31 < 32: a hit; the magazine is at its limit now
        free(l, w[1]);
        assertThat(freedByRoutine).as("the slow path: 32 + 16 >= 40, a miss").containsExactly(w[1]);
    }

    @Test
    void aFlushReachesAnotherThreadsMagazineAtItsNextFree() throws Exception {
        int l = list(64);
        int[] theirs = onWorker(() -> allocate(l, 4));
        onWorker(() -> {
            free(l, theirs[0], theirs[1], theirs[2]);
            return null;
        });
        lists.ExFlushLookasideListEx(l);
        assertThat(freedByRoutine).isEmpty();          // the worker lives: its magazine is only flagged
        onWorker(() -> {
            free(l, theirs[3]);
            return null;
        });
        assertThat(freedByRoutine).containsExactly(theirs[2], theirs[1], theirs[0]);
        assertThat(onWorker(() -> lists.ExAllocateFromNPagedLookasideList(l))).isEqualTo(theirs[3]);
    }

    @Test
    void aFlushReachesAnotherThreadsTapAtItsNextFree() throws Exception {
        int l = list(64);
        LookasideTap[] tap = new LookasideTap[1];
        MemorySegment[] theirs = onWorker(() -> {
            tap[0] = lists.tap(l);
            MemorySegment[] s = {tap[0].allocate(), tap[0].allocate(), tap[0].allocate()};
            tap[0].free(s[0]);
            tap[0].free(s[1]);
            return s;
        });
        lists.ExFlushLookasideListEx(l);
        onWorker(() -> {
            tap[0].free(theirs[2]);
            return null;
        });
        assertThat(freedByRoutine).containsExactly(addressOf(theirs[1]), addressOf(theirs[0]));
        assertThat(onWorker(() -> tap[0].allocate())).isSameAs(theirs[2]);
    }

    @Test
    void aFlushReturnsAnEndedThreadsEntriesAtOnceAndFreesItsStripe() throws Exception {
        int l = list(64);
        int[][] theirs = new int[1][];
        Thread t = new Thread(() -> {
            theirs[0] = allocate(l, 3);
            free(l, theirs[0]);
        }, "ended-before-the-flush");
        t.start();
        t.join();
        lists.ExFlushLookasideListEx(l);
        assertThat(freedByRoutine).containsExactly(theirs[0][2], theirs[0][1], theirs[0][0]);
        assertThat(cache(l).magazines()).singleElement().satisfies(m -> {
            assertThat(m.owner).as("free for the next thread").isNull();
            assertThat(m.count).isZero();
        });
    }

    @Test
    void theTunerFreesTheStripeOfAThreadThatEndedWithAnEmptyMagazine() throws Exception {
        int l = list(64);
        int[][] held = new int[1][];
        Thread t = new Thread(() -> held[0] = allocate(l, 2), "ended-holding-its-entries");
        t.start();
        t.join();
        system.adjustLookasideDepth();
        assertThat(cache(l).magazines()).singleElement().satisfies(m -> assertThat(m.owner).isNull());
        assertThat(depot(l)).isZero();
        assertThat(faults).isEmpty();
        free(l, held[0]);
    }

    @Test
    void aPurgeAfterTheDeleteForgetsAStrandedMagazineAndItsOwnersNextCallIs0x50() throws Exception {
        int l = list(64);
        LookasideTap[] tap = new LookasideTap[1];
        onWorker(() -> {
            tap[0] = lists.tap(l);
            tap[0].free(tap[0].allocate());
            return null;
        });
        lists.ExDeleteNPagedLookasideList(l);
        assertThat(cache(l).hasStranded()).isTrue();
        system.purge(DRIVER);
        assertThat(cache(l).hasStranded()).as("forgotten, not owed").isFalse();
        BugCheck b = onWorker(() -> catchThrowableOfType(BugCheck.class, tap[0]::allocate));
        assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
        assertThat(freedByRoutine).as("the host reclaims that memory: no Free routine").isEmpty();
        Magazine m = (Magazine) tap[0];
        assertThat(m.state).isEqualTo(Magazine.DRAINED);
        assertThat(m.count).as("a drained magazine holds nothing").isZero();
    }

    /**
     * A thread already past the executive's check when a delete runs may make its stripe's first magazine after
     * the delete revoked the others: that magazine is born dead, and its first use is the 0x50 of any use after a
     * delete. Simulated by asking the deleted list's cache for the thread's magazine.
     */
    @Test
    void aMagazineMadeAfterTheListDiedIsBornDead() throws Exception {
        int l = list(64);
        MagazineLookasideList cache = cache(l);
        lists.ExDeleteNPagedLookasideList(l);
        Object[] seen = new Object[2];
        Thread t = new Thread(() -> {
            Magazine m = cache.magazine();
            seen[0] = m;
            seen[1] = catchThrowableOfType(BugCheck.class, m::allocate);
        }, "late-for-the-delete");
        t.start();
        t.join();
        assertThat(((Magazine) seen[0]).state).isEqualTo(Magazine.DRAINED);
        assertThat(((BugCheck) seen[1]).code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
    }

    /** The two compare-and-sets that hand a magazine over: only from the value the caller expects. */
    @Test
    void anOwnerOrAStateIsReplacedOnlyFromTheExpectedValue() throws Exception {
        int l = list(64);
        free(l, allocate(l, 1));
        Magazine m = mine(l);
        Thread other = new Thread(() -> { }, "never-started");
        assertThat(m.adopt(other, other)).as("a live owner is never displaced").isFalse();
        assertThat(m.owner).isSameAs(Thread.currentThread());
        assertThat(m.claim(Magazine.REVOKED)).as("not revoked: nothing to claim").isFalse();
        assertThat(m.state).isEqualTo(Magazine.ACTIVE);
        assertThat(m.count).isEqualTo(1);
    }

    @Test
    void aMagazineAndThePolicyNameThemselves() throws Exception {
        int l = list(64);
        free(l, allocate(l, 2));
        Magazine m = mine(l);
        assertThat(m).hasToString("magazine " + m.stripe + " of thread " + Thread.currentThread().getName()
                + " (2 entries, state 0)");
        Thread t = new Thread(() -> free(l, allocate(l, 1)), "ended");
        t.start();
        t.join();
        Magazine theirs = cache(l).magazines().stream().filter(x -> x != m).findFirst().orElseThrow();
        lists.ExFlushLookasideListEx(l);               // its entry to the Free routine, its stripe free
        assertThat(theirs).hasToString("magazine " + theirs.stripe + " of no thread (0 entries, state 0)");
        assertThat(new MagazinePolicy()).hasToString("lookaside policy magazine");
    }
}
