package dev.ringzero.lookaside;

import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.util.List;
import java.util.Locale;

/**
 * The kernel debugger's {@code !lookaside}: the 32-bit header line the tutorial shows
 * ({@code Lookaside "" @ ed374840 "Regm"}: no symbol, the address in lower-case hex without
 * {@code 0x}, the tag as it reads in memory) over WinDbg's current column layout:
 * <pre>
 *     Type           =       0001  PagedPool
 *     Current Depth  =          2  Max Depth  =          4
 *     Size           =       1024  Max Alloc  =       4096
 *     AllocateMisses =          4  FreeMisses =          0
 *     TotalAllocates =    1319722  TotalFrees =    1319720
 *     Hit Rate       =         99% Hit Rate   =        100%
 * </pre>
 * Current Depth is the number of entries cached now; Max Depth is {@code Depth} (the tuned cap, not
 * {@code MaximumDepth}); Max Alloc is {@code Size × Depth}; hit rates are
 * {@code floor((Total − Misses) × 100 / Total)}, 0 when there was nothing to count. Counters are
 * ULONGs and print unsigned. Lines end with {@code \n}; the text has no trailing newline.
 */
final class LookasideDump {

    private LookasideDump() {
    }

    /** {@code !lookaside <address>}. */
    static String render(LookasideInfo l) {
        StringBuilder sb = new StringBuilder(400);
        sb.append(String.format(Locale.ROOT, "Lookaside \"\" @ %08x \"%s\"\n", l.address(), PoolTag.toString(l.tag())));
        sb.append(String.format(Locale.ROOT, "    %-15s= %10s  %s\n", "Type",
                String.format(Locale.ROOT, "%04x", l.type()), PoolType.describe(l.type())));
        pair(sb, "Current Depth", l.currentDepth(), "Max Depth", l.depth());
        pair(sb, "Size", Integer.toUnsignedLong(l.size()), "Max Alloc", Integer.toUnsignedLong(l.size()) * l.depth());
        pair(sb, "AllocateMisses", l.allocateMisses(), "FreeMisses", l.freeMisses());
        pair(sb, "TotalAllocates", l.totalAllocates(), "TotalFrees", l.totalFrees());
        sb.append(String.format(Locale.ROOT, "    %-15s= %10d%% %-11s= %10d%%", "Hit Rate", l.allocateHitRate(),
                "Hit Rate", l.freeHitRate()));
        return sb.toString();
    }

    /**
     * {@code !lookaside -all}: every list, a blank line after each, then NT's four totals — bytes
     * cached now ({@code Σ CurrentDepth × Size}) and the most the lists may cache
     * ({@code Σ Max Alloc}), for each pool.
     */
    static String renderAll(List<LookasideInfo> lists) {
        StringBuilder sb = new StringBuilder();
        long nonPagedNow = 0;
        long nonPagedPotential = 0;
        long pagedNow = 0;
        long pagedPotential = 0;
        for (LookasideInfo l : lists) {
            sb.append(render(l)).append("\n\n");
            long now = (long) l.currentDepth() * Integer.toUnsignedLong(l.size());
            long potential = Integer.toUnsignedLong(l.size()) * l.depth();
            if (PoolType.isPaged(l.type())) {
                pagedNow += now;
                pagedPotential += potential;
            } else {
                nonPagedNow += now;
                nonPagedPotential += potential;
            }
        }
        total(sb, "Total NonPaged currently allocated for above lists", nonPagedNow).append('\n');
        total(sb, "Total NonPaged potential for above lists", nonPagedPotential).append('\n');
        total(sb, "Total Paged currently allocated for above lists", pagedNow).append('\n');
        total(sb, "Total Paged potential for above lists", pagedPotential);
        return sb.toString();
    }

    private static void pair(StringBuilder sb, String left, long leftValue, String right, long rightValue) {
        sb.append(String.format(Locale.ROOT, "    %-15s= %10d  %-11s= %10d\n", left, leftValue, right, rightValue));
    }

    private static StringBuilder total(StringBuilder sb, String label, long value) {
        return sb.append(String.format(Locale.ROOT, "%-50s = %8d", label, value));
    }
}
