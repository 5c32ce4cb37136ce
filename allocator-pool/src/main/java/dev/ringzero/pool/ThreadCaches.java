package dev.ringzero.pool;

import static dev.ringzero.pool.SizeClasses.CLASSES;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Every thread's {@link ThreadCache} of one pool engine, the traffic between its magazines and the depots
 * (a refill of half a magazine, the spill of half a full one, everything back when the pool runs out of
 * pages), and what is left of the threads that ended: the reaping room. A thread's cache is made on its
 * first call; once the thread has ended, {@link #reap} gives its magazines' blocks back to the depots and
 * folds its tag counters into the retired totals.
 *
 * <p><b>Concurrency.</b> {@link #live} and {@link #retired} are guarded by {@code live}'s monitor. A
 * cache's magazines and counters are written by its own thread only, without locks; another thread
 * touches them only once {@link Thread#isAlive()} has returned false for their thread (that call
 * orders everything the ended thread did before it), or, for the counters, reads them racily for a
 * report ({@link TagCounters}: exact once the threads are quiescent). The reaping runs when a pool or
 * class runs dry, at every report of the counters, and every 64th new cache (many short-lived threads).
 */
final class ThreadCaches {

    private final PoolSpace nonPaged;
    private final PoolSpace paged;
    private final ThreadLocal<ThreadCache> local = ThreadLocal.withInitial(this::newCache);
    private final List<ThreadCache> live = new ArrayList<>();
    private final Map<Long, long[]> retired = new HashMap<>();

    ThreadCaches(PoolSpace nonPaged, PoolSpace paged) {
        this.nonPaged = nonPaged;
        this.paged = paged;
    }

    /** The calling thread's cache, made on its first call (a thread-local lookup: the fast paths try the owner's sticky cache first). */
    ThreadCache current() {
        return local.get();
    }

    private ThreadCache newCache() {
        ThreadCache tc = new ThreadCache(Thread.currentThread());
        boolean reap;
        synchronized (live) {
            live.add(tc);
            reap = live.size() % 64 == 0; // many short-lived threads: fold the ended ones back now and then
        }
        if (reap) {
            reap();
        }
        return tc;
    }

    /**
     * Folds the caches of threads that have ended back into the pool: their magazines into the depots,
     * their counters into the retired totals. Returns how many threads were reaped.
     */
    int reap() {
        List<ThreadCache> dead = new ArrayList<>();
        synchronized (live) {
            for (Iterator<ThreadCache> it = live.iterator(); it.hasNext(); ) {
                ThreadCache tc = it.next();
                if (!tc.thread.isAlive()) {
                    it.remove();
                    dead.add(tc);
                    tc.counters.forEach(row -> addRow(retired, row));
                }
            }
        }
        for (ThreadCache tc : dead) {
            giveBack(tc, nonPaged);
            giveBack(tc, paged);
        }
        return dead.size();
    }

    /** Moves every block in {@code tc}'s magazines of {@code space} to the depots (its thread, or an ended one). */
    static void giveBack(ThreadCache tc, PoolSpace space) {
        for (int cls = 0; cls < CLASSES; cls++) {
            int slot = space.index * CLASSES + cls;
            if (tc.counts[slot] > 0) {
                space.depots[cls].give(tc.magazines[slot], 0, tc.counts[slot]);
                tc.counts[slot] = 0;
                if (!SizeClasses.isSmall(cls)) {
                    space.trimDepot(cls);
                }
            }
        }
    }

    /** Refills the empty magazine {@code slot} of {@code tc} from the depot (or a new slab) and pops one block; 0 when out of pages. */
    int refill(ThreadCache tc, PoolSpace space, int cls, int slot) {
        int[] magazine = tc.magazine(slot);
        int want = Math.max(1, magazine.length / 2);
        int n = space.depots[cls].take(magazine, 0, want);
        if (n == 0) {
            n = space.carve(cls, magazine, 0, want);
        }
        if (n == 0 && reap() > 0) { // ended threads may hold blocks of this class
            n = space.depots[cls].take(magazine, 0, want);
        }
        if (n == 0) {
            return 0;
        }
        tc.counts[slot] = n - 1;
        return magazine[n - 1];
    }

    /** Pushes {@code address} onto the full magazine {@code slot} of {@code tc}, half of which goes to the depot first. */
    static void overflow(ThreadCache tc, PoolSpace space, int cls, int slot, int address) {
        int[] magazine = tc.magazine(slot);
        int count = tc.counts[slot];
        if (count == magazine.length) {
            int half = magazine.length / 2;
            space.depots[cls].give(magazine, count - half, half);
            count -= half;
            if (!SizeClasses.isSmall(cls)) {
                space.trimDepot(cls);
            }
        }
        magazine[count] = address;
        tc.counts[slot] = count + 1;
    }

    /**
     * Called when {@code space} is out of pages: gives ended threads' and the calling thread's free
     * blocks back to the depots, then returns to the pages every slab whose blocks are all free and the
     * depots' page blocks ({@link PoolSpace#reclaimFreePages}). Slab pages are otherwise kept by their
     * size class, so without this a pool filled with one size and emptied could not serve another. True
     * when pages came back, so a retry can succeed.
     */
    boolean reclaim(ThreadCache tc, PoolSpace space) {
        reap();
        giveBack(tc, space);
        return space.reclaimFreePages() > 0;
    }

    /** Counters by {@link TagCounters#key key}, of live and ended threads: {allocs, frees, bytes}. Reaps first. */
    Map<Long, long[]> counters() {
        reap();
        Map<Long, long[]> totals = new HashMap<>();
        synchronized (live) {
            retired.forEach((key, t) -> totals.put(key, t.clone()));
            for (ThreadCache tc : live) {
                tc.counters.forEach(row -> addRow(totals, row));
            }
        }
        return totals;
    }

    private static void addRow(Map<Long, long[]> totals, TagCounters.Row row) {
        long[] t = totals.computeIfAbsent(row.key(), k -> new long[3]);
        t[0] += row.allocs();
        t[1] += row.frees();
        t[2] += row.bytes();
    }
}
