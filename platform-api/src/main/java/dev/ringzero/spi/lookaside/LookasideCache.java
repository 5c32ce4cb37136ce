package dev.ringzero.spi.lookaside;

import dev.ringzero.api.lookaside.LookasideTap;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One list's caching policy: what an implementation supplies, made by {@link LookasidePolicy#newCache}. The
 * executive has already checked the call (the list is live, the caller's IRQL) when {@link #allocate()} or
 * {@link #free(int)} runs; everything else about the list is the executive's.
 *
 * <h2>What a cache must keep (the TCK checks it)</h2>
 * <ol>
 *   <li><b>NT's counters.</b> Each allocate counts one {@code TotalAllocates}, and one {@code AllocateMisses} when
 *       it calls {@link LookasideListHandle#allocateFromRoutine()}; each free one {@code TotalFrees}, and one
 *       {@code FreeMisses} when it calls {@link LookasideListHandle#freeToRoutine(int)}. They are in the header
 *       ({@link LookasideHeader}) once {@link #fold()} returns, whatever the cache counts elsewhere.</li>
 *   <li><b>Depth.</b> The header's {@code Depth} bounds what is cached: at {@code Depth} 0 (the Driver Verifier's
 *       setting) nothing is, so every allocate and free reaches the routines, where the verifier sees them.
 *       When the executive changes {@code Depth} it calls {@link #depthChanged()}.</li>
 *   <li><b>Every entry in one place.</b> An entry freed to the list is in the cache, in {@code ListHead}, or back
 *       with the Free routine — never lost, never handed out twice; {@link #flush()} and a delete return every
 *       cached entry to the Free routine exactly once.</li>
 *   <li><b>Single thread, NT's list.</b> For one thread the hits, misses and LIFO order are NT's.</li>
 *   <li><b>No locks taken on the executive</b> from the hit paths; the routines may be driver code and may
 *       re-enter (free to another list).</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * {@link #allocate()}, {@link #free(int)} and {@link #tap()} run on any thread, concurrently. The others are
 * called by the executive: {@link #fold()} concurrently with the hit paths; {@link #tick()},
 * {@link #depthChanged()} and {@link #listGone(boolean)} under the registry's lock (do not call back into it).
 */
@ConsumerType
public interface LookasideCache {

    /**
     * {@code ExAllocateFrom...LookasideList}: a cached entry, else {@link LookasideListHandle#allocateFromRoutine()}.
     *
     * @return the entry's address, 0 when the Allocate routine returned NULL
     */
    int allocate();

    /** {@code ExFreeTo...LookasideList}: caches {@code entry} below {@code Depth}, else {@link LookasideListHandle#freeToRoutine}. */
    void free(int entry);

    /**
     * A per-thread handle on the list ({@link LookasideTap}), or {@code null} (the default) for the executive's,
     * which resolves entries to segments and calls {@link #allocate()} and {@link #free(int)}. A cache's own tap
     * must throw {@link LookasideListHandle#noLiveList} once the list is gone.
     */
    default LookasideTap tap() {
        return null;
    }

    /**
     * Makes the header's counters account for everything counted elsewhere (per-thread counts). Called before
     * every tuner scan, {@code !lookaside}, query, counter reset, flush and delete; may run concurrently with the
     * hit paths and with itself.
     */
    default void fold() {
    }

    /** Entries cached outside the header's {@code ListHead} now (a racy count is fine): part of Current Depth. */
    default int cachedOutsideListHead() {
        return 0;
    }

    /**
     * {@code ExFlushLookasideListEx}, and the second half of a delete: returns the entries cached outside
     * {@code ListHead} to the Free routine (or moves them into {@code ListHead}). The executive then flushes
     * {@code ListHead} itself, one {@code InterlockedFlushSList}, each entry to the Free routine. Counters do not move.
     */
    default void flush() {
    }

    /** At each balance-set manager scan of the list, before its depth is computed: reclaim what ended threads left. */
    default void tick() {
    }

    /** The executive has just stored a new {@code Depth} in the header (tuner or debugger). */
    default void depthChanged() {
    }

    /**
     * The list is gone ({@link LookasideListHandle#isLive()} is already false). {@code deleted}: by
     * {@code ExDelete...}, whose {@link #flush()} follows and owes every cached entry to the Free routine; otherwise
     * purged or dropped, and cached entries are to be forgotten (the owner's memory is being reclaimed).
     */
    default void listGone(boolean deleted) {
    }

    /**
     * After a delete's flush: whether entries are still held for the list by per-thread caches of threads that
     * live on; the executive then keeps the list and calls {@link #reapStranded()} at each tick.
     */
    default boolean hasStranded() {
        return false;
    }

    /**
     * Returns entries stranded by a delete, whose threads have since ended, to the Free routine.
     *
     * @return whether nothing is stranded any more
     */
    default boolean reapStranded() {
        return true;
    }

    /** Forgets stranded entries without calling anything: the owner's memory is being reclaimed. */
    default void discardStranded() {
    }
}
