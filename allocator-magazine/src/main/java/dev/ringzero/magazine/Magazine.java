package dev.ringzero.magazine;

import dev.ringzero.api.lookaside.LookasideTap;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One stripe of one {@code magazine} list: a cache of the list's free entries — a LIFO array of at most
 * {@link MagazineLookasideList#MAGAZINE_SIZE} entries — and its NT counters, owned by one thread at a time
 * ({@link MagazineStripes} says which thread gets which stripe).
 *
 * <h2>Who touches what</h2>
 * <ul>
 *   <li>{@link #owner} is the thread that may use the magazine now, or {@code null}. It changes only by
 *   compare-and-set ({@link #adopt}) from {@code null} or from a thread that has ended, and back to
 *   {@code null} ({@link #release}); a live owner is never displaced. So {@code owner == me}, read plainly,
 *   is a sound test of ownership for the thread that reads it: only that thread ever writes itself there.</li>
 *   <li>{@link #addresses}, {@link #segments}, {@link #count}, {@link #limit} and the four counters
 *   are written <b>only by the owner</b>, with plain accesses — the hit path has no atomic and no fence.
 *   Ownership passes on with a happens-before edge: a release is a releasing store that the next adopt's CAS
 *   reads; an adopt from an ended thread follows {@link Thread#isAlive()} saying false, which orders
 *   everything the ended thread did before the adopter's next step (JLS 17.4.4).</li>
 *   <li>Other threads <em>read</em> {@link #count} and the counters racily: {@code !lookaside}'s Current
 *   Depth and the fold into the header. The race is benign — an {@code int} read never tears, a stale
 *   value is a count from a moment ago, and the fold works on differences, so a late read is picked up by
 *   the next fold and nothing is counted twice. NT's own counters race the same way.</li>
 *   <li>The {@code folded*} snapshots belong to the list's fold, under its lock.</li>
 *   <li>{@link #state} is the only field written by both sides. The owner reads it (volatile) at the
 *   start of every operation and takes the slow path when it is not {@link #ACTIVE}; others set flags in
 *   it with CAS: the tuner {@link #RECHECK}, a flush {@link #FLUSH}, a delete {@link #REVOKED}, a purge
 *   {@link #DISCARDED}. Only the owner clears {@code RECHECK}/{@code FLUSH}; {@code REVOKED} and
 *   {@code DISCARDED} end in {@link #DRAINED} through one winning CAS, so a magazine's entries are
 *   drained exactly once.</li>
 * </ul>
 *
 * <p>{@link #addresses} and {@link #segments} are parallel: a slot holds the entry's segment (then that
 * is what counts, and the address is computed only if the entry leaves through the depot or an NT-style
 * allocate) or, segment {@code null}, its system address. The NT-style routines push addresses; a tap
 * pushes the segment it was given and nothing else, so both hit paths allocate nothing and a tap's free is
 * one reference store.
 *
 * <h2>The tap</h2>
 * A magazine is also its thread's {@link LookasideTap} on the list: the tap's allocate and free below are the
 * hit path itself, on the magazine's own fields, falling back to the list's slow paths. The allocate checks
 * that the caller is the owner (one load and a reference compare); a live owner keeps its magazine, so a
 * tap stays its thread's for as long as the thread lives.
 *
 * <h2>Layout</h2>
 * The owner writes {@link #count} and its counters on every operation, so no other thread's magazine may
 * share their cache line: 128 bytes of padding (two lines: the adjacent-line prefetcher pairs them) sit
 * before the fields ({@link MagazinePadding}, a superclass, whose fields the JVM lays out first) and after
 * them ({@link Padded}, the only subclass). Magazines are made by their first owners, in separate
 * TLABs; the padding is for the ones a collection has copied next to each other.
 */
abstract sealed class Magazine extends MagazinePadding implements LookasideTap permits Magazine.Padded {

    static final int ACTIVE = 0;
    /** The tuner changed {@code Depth}: re-read it, trim to the new cap. */
    static final int RECHECK = 1;
    /** {@code ExFlushLookasideListEx} ran on another thread: return the magazine's entries to the Free routine. */
    static final int FLUSH = 2;
    /** The list was deleted: the entries are owed to the Free routine (by the owner, or the reaper once it died). */
    static final int REVOKED = 4;
    /** The list was purged or dropped: forget the entries (their memory is the host's now). */
    static final int DISCARDED = 8;
    /** Terminal: drained or discarded; the magazine holds nothing. */
    static final int DRAINED = 16;
    static final int DEAD_STATES = REVOKED | DISCARDED | DRAINED;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Magazine.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The list this magazine caches for. */
    final MagazineLookasideList list;
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Magazine.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The stripe this magazine sits in, in its list's {@link MagazineStripes}. */
    final int stripe;
    /**
     * The thread that may use the magazine now, or {@code null}: see "Who touches what". Read plainly by the
     * hit paths (a thread comparing it with itself), by CAS and acquire/volatile loads everywhere else. A
     * thread that ended stays here until the next adopter or the balance-set manager's scan replaces it: at
     * most one dead {@code Thread} object per stripe.
     */
    Thread owner;
    /** The list's entry size: what a tap's segments are bounded to. */
    final int entrySize;
    final int[] addresses;
    /**
     * The slots' segments ({@code MemorySegment} or {@code null}). An {@code Object[]}, not a
     * {@code MemorySegment[]}: a store into an array of an interface type makes the JIT check the value's
     * class against the element type on every tap free; into {@code Object[]} it does not. Read through
     * {@link #segment(int)}.
     */
    final Object[] segments;

    /** Entries cached: slots {@code [0, count)}, the newest on top. Owner only. */
    int count;
    /** How many entries a free may leave here before it takes the slow path: {@code min(cap, Depth - depot)}. Owner only. */
    int limit;

    /** The owner's NT counters (ULONGs: they wrap like NT's). Owner writes, plain; read racily by the fold. */
    int totalAllocates;
    int allocateMisses;
    int totalFrees;
    int freeMisses;

    /** The counters' values at the last fold. Guarded by the list's lock. */
    int foldedTotalAllocates;
    int foldedAllocateMisses;
    int foldedTotalFrees;
    int foldedFreeMisses;

    volatile int state;

    /**
     * {@link #state} as the owner's hit path reads it: an opaque load (a plain {@code mov} on x86, never
     * hoisted out of a loop, no ordering). Enough there: a signal only has to be seen eventually, and the
     * slow path it leads to orders itself with CAS.
     */
    int stateOpaque() {
        return (int) STATE.getOpaque(this);
    }

    static Magazine create(MagazineLookasideList list, int stripe, Thread owner, int entrySize, int capacity, int limit) {
        return new Padded(list, stripe, owner, entrySize, capacity, limit);
    }

    private Magazine(MagazineLookasideList list, int stripe, Thread owner, int entrySize, int capacity, int limit) {
        this.list = list;
        this.stripe = stripe;
        this.owner = owner;
        this.entrySize = entrySize;
        this.addresses = new int[capacity];
        this.segments = new Object[capacity];
        this.limit = limit;
    }

    /** The segment cached in {@code slot}, or {@code null} when the slot holds only an address. */
    MemorySegment segment(int slot) {
        return (MemorySegment) segments[slot];
    }

    /** The owner, read with acquire: what {@link #adopt} is given as the expected value. */
    Thread ownerAcquire() {
        return (Thread) OWNER.getAcquire(this);
    }

    /** Whether {@code t}, read from {@link #owner}, leaves the magazine free to adopt: nobody, or a thread that ended. */
    static boolean vacant(Thread t) {
        return t == null || !t.isAlive();
    }

    /** {@code expected} (null or an ended thread) to {@code me}: the winner owns the magazine. */
    boolean adopt(Thread expected, Thread me) {
        return OWNER.compareAndSet(this, expected, me);
    }

    /** The owner gives the magazine up: every plain write it made happens-before the next adopter's. */
    void release() {
        OWNER.setRelease(this, null);
    }

    /** Sets {@code flag} unless the magazine is already dead. */
    void signal(int flag) {
        while (true) {
            int s = state;
            if ((s & DEAD_STATES) != 0 || (s & flag) == flag) {
                return;
            }
            if (STATE.compareAndSet(this, s, s | flag)) {
                return;
            }
        }
    }

    /** Replaces any live state with {@code dead} ({@link #REVOKED}, {@link #DISCARDED} or {@link #DRAINED}); a dead one stays. */
    void revoke(int dead) {
        while (true) {
            int s = state;
            if ((s & DEAD_STATES) != 0 || STATE.compareAndSet(this, s, dead)) {
                return;
            }
        }
    }

    /** {@code REVOKED -> DISCARDED}: a stranded magazine whose owner's memory the host is reclaiming. */
    void discard() {
        STATE.compareAndSet(this, REVOKED, DISCARDED);
    }

    /** Moves {@code expected} to {@code DRAINED}; the winner owns the entries. */
    boolean claim(int expected) {
        return STATE.compareAndSet(this, expected, DRAINED);
    }

    /** Owner only: clears {@code RECHECK}/{@code FLUSH}; returns the flags it cleared, or -1 if the magazine died meanwhile. */
    int clearSignals() {
        while (true) {
            int s = state;
            if ((s & DEAD_STATES) != 0) {
                return -1;
            }
            if (STATE.compareAndSet(this, s, ACTIVE)) {
                return s;
            }
        }
    }

    /** Forgets every entry (owner, or a claimer). */
    void clear() {
        java.util.Arrays.fill(segments, 0, count, null);
        count = 0;
        limit = 0;
    }

    // ---- LookasideTap: the owner's hit path, on this object's fields

    @Override
    public MemorySegment allocate() {
        if (owner != Thread.currentThread()) {
            throw list.wrongThread(this, "allocate");
        }
        if (stateOpaque() == ACTIVE) {
            int n = count;
            if (n > 0) {
                n--;
                count = n;
                totalAllocates++;
                MemorySegment s = segment(n);
                return s != null ? s : list.resolveSlot(this, n);
            }
        }
        return list.allocateSegmentSlow(this);
    }

    /**
     * Not owner-checked (the API leaves a foreign thread's use undetected, and the allocate that got the entry
     * was checked): one thread check per allocate/free pair costs half of the two (0.4 ns of 7 here).
     */
    @Override
    public void free(MemorySegment entry) {
        if (stateOpaque() == ACTIVE && entry.byteSize() == entrySize) {
            int n = count;
            if (n < limit) {
                // The segment is the slot's truth; its address is computed if ever needed. An allocate leaves
                // its segment in the slot, so when the same entry comes back (a driver's usual allocate, use,
                // free) the slot already holds it: no store, and no GC write barrier, on that path.
                if (segments[n] != entry) {
                    segments[n] = entry;
                }
                count = n + 1;
                totalFrees++;
                return;
            }
        }
        list.freeSegmentSlow(this, entry);
    }

    @Override
    public int lookaside() {
        return list.address;
    }

    @Override
    public String toString() {
        Thread t = owner;
        return "magazine " + stripe + " of " + (t == null ? "no thread" : "thread " + t.getName()) + " (" + count
                + " entries, state " + state + ")";
    }

    /** The magazine with its trailing padding: see "Layout" above. */
    static final class Padded extends Magazine {
        @SuppressWarnings("unused")
        private long q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15;

        private Padded(MagazineLookasideList list, int stripe, Thread owner, int entrySize, int capacity, int limit) {
            super(list, stripe, owner, entrySize, capacity, limit);
        }
    }
}

/** The leading padding of a {@link Magazine}: see its "Layout". */
abstract class MagazinePadding {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
}
