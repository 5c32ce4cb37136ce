package dev.ringzero.magazine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@code magazine} list's magazines, and which thread gets which: a fixed array of {@value #PER_CORE}
 * × cores stripes (a power of two), each holding at most one {@link Magazine}, made on first use.
 *
 * <h2>Finding the calling thread's magazine</h2>
 * A thread's home stripe is {@code threadId & (stripes - 1)}; it looks there and at the next
 * {@link #PROBES} - 1 stripes for a magazine whose {@link Magazine#owner owner} is itself — a load, a mask,
 * a load and a reference compare when it sits at home, which it usually does (thread ids are handed out in
 * sequence, platform and virtual alike). Not finding one, it <em>adopts</em> the first magazine in that
 * window that nobody owns or whose owner has ended (one CAS on the magazine's owner; a stripe still empty
 * gets a new magazine, published with one CAS on the array slot), and keeps it for as long as it lives:
 * no atomic on the hit path, whatever kind of thread it is. Entries a magazine holds pass with it to the
 * next thread, so a virtual thread that ends leaves its entries to the next one that lands on its stripe,
 * or to the depot at the balance-set manager's next scan. When every stripe of the window is owned by a
 * live thread, the caller gets {@code null} and takes the depot directly, as an {@code nt} list does.
 *
 * <h2>Why stripes, not a magazine per thread</h2>
 * A virtual thread lives for a few operations: one magazine per thread would be made, filled and
 * abandoned a hundred thousand times, each one holding entries above Depth until a scan reclaimed it
 * (measured before this design: 1,574 entries cached at Depth 16 after 100,000 virtual threads). With a
 * fixed number of stripes the cached entries of a list are bounded whatever the number of threads:
 * see {@link MagazineLookasideList#maxCached(int)}. No {@code ThreadLocal} is used (a virtual thread's
 * would die with it), nothing is keyed by carrier (that needs JDK-internal APIs) and nothing blocks, so
 * no carrier is ever pinned.
 */
final class MagazineStripes {

    /** Stripes per available processor, before rounding up to a power of two. */
    static final int PER_CORE = 2;
    /** How many stripes from its home a thread looks at. */
    static final int PROBES = 4;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Magazine[].class);

    private final MagazineLookasideList list;
    private final Magazine[] slots;
    private final int mask;
    private final int probes;

    MagazineStripes(MagazineLookasideList list, int stripes) {
        if (stripes < 1 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two, not " + stripes);
        }
        this.list = list;
        this.slots = new Magazine[stripes];
        this.mask = stripes - 1;
        this.probes = Math.min(PROBES, stripes);
    }

    /** {@value #PER_CORE} × {@code cores}, rounded up to a power of two: below 4 × cores, the bound's factor. */
    static int stripesFor(int cores) {
        int n = PER_CORE * Math.max(1, cores);
        return Integer.bitCount(n) == 1 ? n : Integer.highestOneBit(n) << 1;
    }

    int count() {
        return slots.length;
    }

    /** The magazine in stripe {@code i}, or {@code null}: a volatile read, for the scans over every stripe. */
    Magazine at(int i) {
        return (Magazine) SLOT.getVolatile(slots, i);
    }

    /**
     * The calling thread's magazine: found at its home stripe, else {@link #findOrAdopt}; {@code null} when
     * every stripe of its window is taken.
     */
    Magazine find(Thread t) {
        int home = (int) t.threadId() & mask;
        Magazine m = slots[home]; // plain: a thread only ever finds itself here if it put itself there
        if (m != null && m.owner == t) {
            return m;
        }
        return findOrAdopt(t, home);
    }

    private Magazine findOrAdopt(Thread t, int home) {
        for (int i = 1; i < probes; i++) {
            Magazine m = slots[(home + i) & mask]; // plain, as at home: a thread that adopted past its home stripe
            if (m != null && m.owner == t) {
                return m;
            }
        }
        for (int i = 0; i < probes; i++) {
            int j = (home + i) & mask;
            Magazine m = at(j);
            if (m == null) {
                Magazine made = list.newMagazine(j, t);
                if (SLOT.compareAndSet(slots, j, null, made)) {
                    return published(made);
                }
                m = at(j); // another thread made this stripe's magazine first
            }
            Thread o = m.ownerAcquire();
            if (Magazine.vacant(o) && m.adopt(o, t)) {
                return m;
            }
        }
        return null;
    }

    /**
     * A new magazine is in its stripe. A delete (or purge) clears the list's live flag before it revokes
     * every stripe's magazine; one published after that scan would never be revoked, so it is retired here
     * (it holds nothing) and the caller's next step finds the list gone.
     */
    private Magazine published(Magazine m) {
        if (!list.isLive()) {
            m.revoke(Magazine.DRAINED);
        }
        return m;
    }
}
