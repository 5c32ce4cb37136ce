package dev.ringzero.lookaside;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

/**
 * One thread's cache of one {@code magazine} list's free entries: a LIFO array of at most
 * {@link MagazineLookasideList#MAGAZINE_SIZE} entries, and the thread's own NT counters.
 *
 * <h2>Who touches what</h2>
 * <ul>
 *   <li>{@link #addresses}, {@link #segments}, {@link #count}, {@link #limit} and the four counters
 *   are written <b>only by the owner thread</b>, with plain accesses — the hit path has no atomic and no
 *   fence. Another thread may write them only once it has claimed the magazine from a dead owner
 *   ({@link #claim}, after {@link Thread#isAlive()} said false, which orders everything the owner did
 *   before the claimer's next step: JLS 17.4.4).</li>
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
 * <p>{@link #addresses} and {@link #segments} are parallel: a slot holds the entry's system address, its
 * segment, or both. The NT-style routines push addresses (segment {@code null}); a tap pushes the segment
 * it was given (address 0, computed only if the entry leaves the magazine through the depot or an
 * NT-style allocate), so both hit paths allocate nothing.
 */
final class Magazine {

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

    /** {@link Thread#threadId()} of the owner: what the list's table is keyed by (ids are never reused). */
    final long ownerId;
    /** The owner, weakly: a magazine must not keep a dead thread's object alive. */
    final WeakReference<Thread> owner;
    /** The list's entry size: what a tap's segments are bounded to. */
    final int entrySize;
    final int[] addresses;
    final MemorySegment[] segments;

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

    Magazine(Thread owner, int entrySize, int capacity, int limit) {
        this.ownerId = owner.threadId();
        this.owner = new WeakReference<>(owner);
        this.entrySize = entrySize;
        this.addresses = new int[capacity];
        this.segments = new MemorySegment[capacity];
        this.limit = limit;
    }

    /** Whether the owner has ended (or been collected, which it cannot be while it runs). */
    boolean ownerDead() {
        Thread t = owner.get();
        return t == null || !t.isAlive();
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

    /** Replaces any live state with {@code dead} ({@link #REVOKED} or {@link #DISCARDED}); false if already dead. */
    boolean revoke(int dead) {
        while (true) {
            int s = state;
            if ((s & DEAD_STATES) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, dead)) {
                return true;
            }
        }
    }

    /** {@code REVOKED -> DISCARDED}: a stranded magazine whose owner's memory the host is reclaiming. */
    boolean discard() {
        return STATE.compareAndSet(this, REVOKED, DISCARDED);
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

    @Override
    public String toString() {
        return "magazine of thread #" + ownerId + " (" + count + " entries, state " + state + ")";
    }
}
