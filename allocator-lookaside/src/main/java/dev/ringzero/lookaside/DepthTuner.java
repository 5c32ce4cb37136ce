package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasideHeader;
import java.lang.foreign.MemorySegment;

/**
 * NT's depth computation for one lookaside list ({@code ExpComputeLookasideDepth}, identical from
 * Server 2003 to Windows 11), in 32-bit unsigned arithmetic as NT does it.
 *
 * <pre>
 * allocates = TotalAllocates - LastTotalAllocates;  LastTotalAllocates = TotalAllocates
 * if MaximumDepth == 0xFFFF: leave the list alone             (current kernels' "do not tune" mark)
 * if verifier (ExMinimumLookasideDepth == 0): Depth = 0
 * elif allocates &lt; 25 * ScanPeriod:     Depth = max(Depth - 10, 4)       (idle: shrink fast)
 * else ratio = misses * 1000 / allocates                                (per mille)
 *      if ratio &lt; 5:                    Depth = max(Depth - 1, 4)        (hits &gt;= 99.5 %: shrink slowly)
 *      else Depth = min(Depth + min(ratio * (MaximumDepth - Depth) / 2000 + 5, 30), MaximumDepth)
 * </pre>
 * The general lists are scanned with {@code ScanPeriod} = 3 (each is visited every third second), so
 * the idle threshold is 75 allocations. Misses may exceed allocates (plain counters race); NT calls
 * that harmless and so do we.
 */
final class DepthTuner {

    /** {@code ExMinimumLookasideDepth} without the verifier. */
    static final int MINIMUM_DEPTH = 4;
    /** The default {@code MaximumDepth}. */
    static final int MAXIMUM_DEPTH = 256;
    /** {@code MINIMUM_ALLOCATION_THRESHOLD}: allocations per second of scan period below which a list is idle. */
    static final int MINIMUM_ALLOCATION_THRESHOLD = 25;
    /** The scan period the general-list scanner passes: every list is visited every 3 ticks. */
    static final int SCAN_PERIOD = 3;
    /** A {@code MaximumDepth} of 0xFFFF means "never tune" in current kernels. */
    static final int NO_TUNING = 0xFFFF;

    private DepthTuner() {
    }

    /**
     * The new {@code Depth}.
     *
     * @param depth        {@code Depth} now
     * @param maximumDepth {@code MaximumDepth}
     * @param allocates    allocations since the last scan (unsigned 32-bit)
     * @param misses       allocate misses since the last scan (unsigned 32-bit)
     * @param scanPeriod   seconds between two scans of this list
     * @param verifier     whether the verifier is on for the list's owner ({@code ExMinimumLookasideDepth == 0})
     */
    static int computeDepth(int depth, int maximumDepth, int allocates, int misses, int scanPeriod, boolean verifier) {
        if (maximumDepth == NO_TUNING) {
            return depth;
        }
        if (verifier) {
            return 0;
        }
        int target = depth;
        if (Integer.compareUnsigned(allocates, scanPeriod * MINIMUM_ALLOCATION_THRESHOLD) < 0) {
            target = Math.max(target - 10, MINIMUM_DEPTH);
        } else {
            int ratio = Integer.divideUnsigned(misses * 1000, allocates);
            if (Integer.compareUnsigned(ratio, 5) < 0) {
                target = Math.max(target - 1, MINIMUM_DEPTH);
            } else {
                int delta = Integer.divideUnsigned(ratio * (maximumDepth - target), 2000) + 5;
                if (Integer.compareUnsigned(delta, 30) > 0) {
                    delta = 30;
                }
                target = Math.min(target + delta, maximumDepth);
            }
        }
        return target & 0xFFFF;
    }

    /**
     * One list's turn in the general scanner ({@code ExpScanGeneralLookasideList}): take the miss and
     * allocation deltas, remember the new snapshots, and store the computed {@code Depth}. Plain
     * accesses, racing with the list's users exactly as NT's scanner does.
     */
    static void scan(RegisteredList list, int scanPeriod) {
        list.fold();
        MemorySegment h = list.header;
        int allocateMisses = LookasideHeader.allocateMisses(h);
        int misses = allocateMisses - LookasideHeader.lastAllocateMisses(h);
        LookasideHeader.setLastAllocateMisses(h, allocateMisses);
        int totalAllocates = LookasideHeader.totalAllocates(h);
        int allocates = totalAllocates - LookasideHeader.lastTotalAllocates(h);
        LookasideHeader.setLastTotalAllocates(h, totalAllocates);
        int depth = LookasideHeader.depth(h);
        int maximumDepth = LookasideHeader.maximumDepth(h);
        int tuned = computeDepth(depth, maximumDepth, allocates, misses, scanPeriod, list.verified());
        if (tuned != depth) {
            LookasideHeader.setDepth(h, tuned);
            list.depthChanged();
            LookasideEvents.depthAdjusted(list, depth, tuned, allocates, misses, LookasideHeader.tag(h),
                    Integer.toUnsignedLong(LookasideHeader.totalFrees(h)), Integer.toUnsignedLong(LookasideHeader.freeMisses(h)));
        }
    }
}
