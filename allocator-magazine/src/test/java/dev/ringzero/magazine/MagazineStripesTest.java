package dev.ringzero.magazine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which stripe a thread gets ({@link MagazineStripes}), on lists of 8 stripes: its home, else the first one of its
 * window of {@value MagazineStripes#PROBES} that no live thread owns, else none. The stripes are filled by
 * {@link Holder}s, live threads that took their tap; the test thread then asks for its own.
 */
class MagazineStripesTest extends MagazineFixture {

    static final int STRIPES = 8;

    @Override
    int stripes() {
        return STRIPES;
    }

    /** The test thread's home stripe. */
    static int home() {
        return (int) Thread.currentThread().threadId() & (STRIPES - 1);
    }

    /** Holders until every stripe of {@code l} is owned by a live one (thread ids run in sequence: about 8). */
    Map<Integer, Holder> occupyEveryStripe(int l) throws InterruptedException {
        Map<Integer, Holder> byStripe = new HashMap<>();
        for (int tries = 0; byStripe.size() < STRIPES && tries < 64; tries++) {
            Holder h = hold("holder-" + tries, () -> lists.tap(l));
            if (h.tap instanceof Magazine m) {
                assertThat(byStripe.put(m.stripe, h)).as("two live owners of stripe %d", m.stripe).isNull();
            } else {
                h.end(); // its window was full: it got the direct tap
            }
        }
        assertThat(byStripe).as("every stripe owned by a live holder").hasSize(STRIPES);
        return byStripe;
    }

    @Test
    void stripesAreTwicePerCoreRoundedUpToAPowerOfTwo() {
        assertThat(MagazineStripes.stripesFor(1)).isEqualTo(2);
        assertThat(MagazineStripes.stripesFor(2)).isEqualTo(4);
        assertThat(MagazineStripes.stripesFor(3)).isEqualTo(8);
        assertThat(MagazineStripes.stripesFor(4)).isEqualTo(8);
        assertThat(MagazineStripes.stripesFor(5)).isEqualTo(16);
        assertThat(MagazineStripes.stripesFor(0)).as("no cores reported: one").isEqualTo(2);
    }

    @Test
    void aStripeCountThatIsNoPowerOfTwoIsRefused() {
        assertThatThrownBy(() -> new MagazineStripes(null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stripes must be a power of two, not 0");
        assertThatThrownBy(() -> new MagazineStripes(null, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stripes must be a power of two, not 6");
        assertThat(new MagazineStripes(null, 1).count()).isEqualTo(1);
    }

    @Test
    void theBoundOnWhatAListCachesIsEveryStripeFullPlusTheDepot() {
        int l = list(16);
        assertThat(cache(l).maxCached(16)).isEqualTo(STRIPES * 16 + 16);
        assertThat(cache(l).maxCached(256)).as("a magazine holds at most M").isEqualTo(STRIPES * 32 + 256);
    }

    @Test
    void aThreadWhoseHomeIsTakenAdoptsTheFirstFreeStripeOfItsWindowAndFindsItThereAgain() throws Exception {
        int l = list(64);
        int h = home();
        Map<Integer, Holder> held = occupyEveryStripe(l);
        held.remove((h + 2) & (STRIPES - 1)).end();    // that stripe's owner has ended: its magazine is free

        Object first = lists.tap(l);
        assertThat(first).isInstanceOf(Magazine.class);
        assertThat(((Magazine) first).stripe).isEqualTo((h + 2) & (STRIPES - 1));
        assertThat(((Magazine) first).owner).isSameAs(Thread.currentThread());
        assertThat(lists.tap(l)).as("found again past its home, not adopted anew").isSameAs(first);
    }

    @Test
    void aThreadWhoseWholeWindowIsOwnedByLiveThreadsGetsNoMagazineEvenIfAStripeBeyondItIsFree() throws Exception {
        int l = list(2);
        int h = home();
        Map<Integer, Holder> held = occupyEveryStripe(l);
        held.remove((h + MagazineStripes.PROBES) & (STRIPES - 1)).end(); // free, but outside the window

        var tap = lists.tap(l);
        assertThat(tap).isNotInstanceOf(Magazine.class);
        assertThat(tap.lookaside()).isEqualTo(l);
        int[] e = allocate(l, 3);                        // the depot directly, as nt: three misses
        free(l, e);                                      // two cached in the depot (Depth 2), the third a miss
        assertThat(depot(l)).isEqualTo(2);
        assertThat(freedByRoutine).containsExactly(e[2]);
        assertThat(cache(l).magazines()).allSatisfy(m -> assertThat(m.owner).isNotSameAs(Thread.currentThread()));
    }
}
