package dev.ringzero.magazine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideTap;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * A thread that finds no magazine free works on the depot directly, as an {@code nt} list does: NT's counters,
 * Depth and LIFO order on the header's S-list. Lists of one stripe, held by a live {@link Holder} that took its
 * magazine through a tap (so the list's memo of the last magazine stays empty).
 */
class MagazineDirectPathTest extends MagazineFixture {

    @Override
    int stripes() {
        return 1;
    }

    /** A live thread owns the list's only stripe; it cached {@code cached} entries in its magazine. */
    Holder holdTheStripe(int l, int cached) throws InterruptedException {
        Holder h = hold("stripe-holder", () -> {
            LookasideTap tap = lists.tap(l);
            MemorySegment[] e = new MemorySegment[cached];
            for (int i = 0; i < cached; i++) {
                e[i] = tap.allocate();
            }
            for (MemorySegment s : e) {
                tap.free(s);
            }
            return tap;
        });
        assertThat(h.tap).isInstanceOf(Magazine.class);
        return h;
    }

    static Object[] counters(LookasideInfo i) {
        return new Object[] {i.totalAllocates(), i.allocateMisses(), i.totalFrees(), i.freeMisses(), i.currentDepth()};
    }

    @Test
    void theDirectPathIsNtsListOnTheDepotAndItsCountsReachTheHeader() throws Exception {
        int l = list(2);
        holdTheStripe(l, 0);
        int[] e = allocate(l, 3);                      // empty depot: three misses
        free(l, e);                                    // two cached (Depth 2), the third to the Free routine
        assertThat(freedByRoutine).containsExactly(e[2]);
        assertThat(depot(l)).isEqualTo(2);
        assertThat(counters(lists.query(l))).containsExactly(3L, 3L, 3L, 1L, 2);

        int[] again = allocate(l, 3);
        assertThat(again).startsWith(e[1], e[0]);      // LIFO, then a miss: a new entry
        assertThat(again[2]).isNotIn(e[0], e[1]);
        assertThat(counters(lists.query(l))).as("a second fold adds only what came after the first")
                .containsExactly(6L, 4L, 3L, 1L, 0);
        free(l, e[1]);
        assertThat(counters(lists.query(l))).containsExactly(6L, 4L, 4L, 1L, 1);
    }

    @Test
    void theDirectTapServesSegmentsOfTheEntrySizeFromTheDepot() throws Exception {
        int l = list(2);
        holdTheStripe(l, 0);
        LookasideTap tap = lists.tap(l);
        assertThat(tap).isNotInstanceOf(Magazine.class);
        assertThat(tap.lookaside()).isEqualTo(l);
        MemorySegment a = tap.allocate();
        assertThat(a.byteSize()).isEqualTo(SIZE);
        tap.free(a);
        assertThat(depot(l)).isEqualTo(1);
        assertThat(addressOf(tap.allocate())).isEqualTo(addressOf(a));
        assertThat(counters(lists.query(l))).containsExactly(2L, 1L, 1L, 0L, 0);

        executive.failNextAllocations(1);
        assertThat(tap.allocate()).as("the Allocate routine failed").isEqualTo(MemorySegment.NULL);
        MemorySegment wrong = executive.memory().resolve(allocate(l, 1)[0], 8);
        assertThatThrownBy(() -> tap.free(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment of 8 bytes").hasMessageContaining("entry size " + SIZE);
        assertThat(depot(l)).isZero();
    }

    @Test
    void theDirectTapTakesTheStripeOnceItsOwnerHasEnded() throws Exception {
        int l = list(16);
        Holder h = holdTheStripe(l, 2);
        LookasideTap tap = lists.tap(l);
        assertThat(tap).isNotInstanceOf(Magazine.class);
        Magazine theirs = (Magazine) h.tap;
        h.end();
        MemorySegment got = tap.allocate();             // adopts the ended thread's magazine: a hit, its newest entry
        assertThat(theirs.owner).isSameAs(Thread.currentThread());
        assertThat(theirs.count).isEqualTo(1);
        tap.free(got);                                  // back into that magazine, not the depot
        assertThat(theirs.count).isEqualTo(2);
        assertThat(depot(l)).isZero();
        assertThat(lists.query(l).allocateMisses()).as("the holder's two misses only").isEqualTo(2);
    }

    @Test
    void afterTheDeleteTheDirectTapBugChecksAndTheLiveOwnersEntriesAreStrandedUntilItEnds() throws Exception {
        int l = list(16);
        Holder h = holdTheStripe(l, 2);
        LookasideTap tap = lists.tap(l);
        MemorySegment mine = tap.allocate();
        lists.ExDeleteNPagedLookasideList(l);
        MagazineLookasideList cache = cache(l);
        assertThat(freedByRoutine).as("the holder lives: its entries are owed").isEmpty();
        assertThat(cache.hasStranded()).isTrue();

        BugCheck b = catchThrowableOfType(BugCheck.class, tap::allocate);
        assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
        assertThat(b.parameter1()).isEqualTo(Integer.toUnsignedLong(l));
        assertThat(catchThrowableOfType(BugCheck.class, () -> tap.free(mine)).code())
                .isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
        assertThat(cache.reapStranded()).as("its owner still lives").isFalse();

        h.end();
        assertThat(cache.reapStranded()).isTrue();
        assertThat(freedByRoutine).hasSize(2);
        assertThat(cache.hasStranded()).isFalse();
        assertThat(((Magazine) h.tap).owner).as("given up by the reaper").isNull();
    }

    @Test
    void aDeleteWithNothingHeldElsewhereStrandsNothing() {
        int l = list(16);
        free(l, allocate(l, 2));
        lists.ExDeleteNPagedLookasideList(l);
        assertThat(freedByRoutine).hasSize(2);
        assertThat(cache(l).hasStranded()).isFalse();
        assertThat(cache(l).reapStranded()).isTrue();
    }
}
