package dev.ringzero.magazine;

import dev.ringzero.spi.lookaside.LookasideHeader;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@code magazine} list's NT counters on their way to the header: each magazine counts in plain fields
 * (its owner's), the operations of threads that found no magazine to use count here with atomic adds, and
 * {@link #fold} adds everything since the last fold into the header's {@code TotalAllocates},
 * {@code AllocateMisses}, {@code TotalFrees} and {@code FreeMisses}.
 *
 * <p>The registry folds before every tuner scan, {@code !lookaside}, query, flush and delete, so NT's
 * numbers stay meaningful; between folds a driver reading its header directly sees the values of the last
 * fold. The magazines' counters are read racily: an {@code int} read never tears, and a fold works on
 * differences, so a late read is picked up by the next fold and nothing is counted twice. The counters
 * belong to the magazine, not to a thread: when a magazine passes to another thread, so do its counts.
 */
final class MagazineCounters {

    private static final VarHandle TOTAL_ALLOCATES;
    private static final VarHandle ALLOCATE_MISSES;
    private static final VarHandle TOTAL_FREES;
    private static final VarHandle FREE_MISSES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TOTAL_ALLOCATES = l.findVarHandle(MagazineCounters.class, "totalAllocates", int.class);
            ALLOCATE_MISSES = l.findVarHandle(MagazineCounters.class, "allocateMisses", int.class);
            TOTAL_FREES = l.findVarHandle(MagazineCounters.class, "totalFrees", int.class);
            FREE_MISSES = l.findVarHandle(MagazineCounters.class, "freeMisses", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The counts of operations that went to the depot directly (no magazine free for the thread). */
    @SuppressWarnings("unused") // through the VarHandles
    private volatile int totalAllocates;
    @SuppressWarnings("unused")
    private volatile int allocateMisses;
    @SuppressWarnings("unused")
    private volatile int totalFrees;
    @SuppressWarnings("unused")
    private volatile int freeMisses;

    /** The direct counters' values at the last fold. Guarded by the fold's lock. */
    private int foldedTotalAllocates;
    private int foldedAllocateMisses;
    private int foldedTotalFrees;
    private int foldedFreeMisses;

    void directAllocate(boolean miss) {
        TOTAL_ALLOCATES.getAndAdd(this, 1);
        if (miss) {
            ALLOCATE_MISSES.getAndAdd(this, 1);
        }
    }

    void directFree(boolean miss) {
        TOTAL_FREES.getAndAdd(this, 1);
        if (miss) {
            FREE_MISSES.getAndAdd(this, 1);
        }
    }

    /**
     * Adds what the magazines and the direct path counted since the last fold into the header. The caller
     * holds the list's fold lock: only folds write these fields of a {@code magazine} list's header.
     */
    void fold(MemorySegment header, MagazineStripes stripes) {
        int totalAllocatesSince = 0;
        int allocateMissesSince = 0;
        int totalFreesSince = 0;
        int freeMissesSince = 0;
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m == null) {
                continue;
            }
            int v = m.totalAllocates; // racy reads of the owners' plain counters: benign, see the class comment
            totalAllocatesSince += v - m.foldedTotalAllocates;
            m.foldedTotalAllocates = v;
            v = m.allocateMisses;
            allocateMissesSince += v - m.foldedAllocateMisses;
            m.foldedAllocateMisses = v;
            v = m.totalFrees;
            totalFreesSince += v - m.foldedTotalFrees;
            m.foldedTotalFrees = v;
            v = m.freeMisses;
            freeMissesSince += v - m.foldedFreeMisses;
            m.foldedFreeMisses = v;
        }
        int v = (int) TOTAL_ALLOCATES.getVolatile(this);
        totalAllocatesSince += v - foldedTotalAllocates;
        foldedTotalAllocates = v;
        v = (int) ALLOCATE_MISSES.getVolatile(this);
        allocateMissesSince += v - foldedAllocateMisses;
        foldedAllocateMisses = v;
        v = (int) TOTAL_FREES.getVolatile(this);
        totalFreesSince += v - foldedTotalFrees;
        foldedTotalFrees = v;
        v = (int) FREE_MISSES.getVolatile(this);
        freeMissesSince += v - foldedFreeMisses;
        foldedFreeMisses = v;
        if ((totalAllocatesSince | allocateMissesSince | totalFreesSince | freeMissesSince) != 0) {
            LookasideHeader.setTotalAllocates(header, LookasideHeader.totalAllocates(header) + totalAllocatesSince);
            LookasideHeader.setAllocateMisses(header, LookasideHeader.allocateMisses(header) + allocateMissesSince);
            LookasideHeader.setTotalFrees(header, LookasideHeader.totalFrees(header) + totalFreesSince);
            LookasideHeader.setFreeMisses(header, LookasideHeader.freeMisses(header) + freeMissesSince);
        }
    }
}
