package dev.ringzero.api.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.util.Locale;

/**
 * A snapshot of one lookaside list's header, with NT's field names.
 *
 * @param address         the header's system address
 * @param owner           the driver that initialized it
 * @param implementation  which implementation serves it ({@code nt}, {@code magazine}, ...)
 * @param type            {@code Type}: pool type with flags
 * @param tag             {@code Tag}
 * @param size            {@code Size}: entry size in bytes
 * @param currentDepth    entries cached now ({@code QueryDepthSList(ListHead)} plus any per-thread caches)
 * @param depth           {@code Depth}: the tuned cap on cached entries (what {@code !lookaside} calls Max Depth)
 * @param maximumDepth    {@code MaximumDepth}: the ceiling for tuning (256)
 * @param totalAllocates  {@code TotalAllocates}
 * @param allocateMisses  {@code AllocateMisses}
 * @param totalFrees      {@code TotalFrees}
 * @param freeMisses      {@code FreeMisses}
 */
public record LookasideInfo(int address, Owner owner, String implementation, int type, int tag, int size,
                            int currentDepth, int depth, int maximumDepth, long totalAllocates, long allocateMisses,
                            long totalFrees, long freeMisses) {

    /** {@code !lookaside}'s allocate hit rate: {@code floor((TotalAllocates - AllocateMisses) * 100 / TotalAllocates)}, 0 when none. */
    public int allocateHitRate() {
        return totalAllocates == 0 ? 0 : (int) ((totalAllocates - allocateMisses) * 100 / totalAllocates);
    }

    /** {@code !lookaside}'s free hit rate: {@code floor((TotalFrees - FreeMisses) * 100 / TotalFrees)}, 0 when none. */
    public int freeHitRate() {
        return totalFrees == 0 ? 0 : (int) ((totalFrees - freeMisses) * 100 / totalFrees);
    }

    /**
     * The snapshot with addresses and tags as the debugger shows them: the header's address in hex
     * ({@code 80010010}), never as a signed decimal, the type in hex with its name, the tag as displayed
     * with its value ({@code 'Wasm' 0x6D736157}).
     *
     * @since 1.2
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LookasideInfo[address=%08X, owner=%s, implementation=%s, type=0x%04X %s,"
                        + " tag='%s' 0x%08X, size=%d, currentDepth=%d, depth=%d, maximumDepth=%d, totalAllocates=%d,"
                        + " allocateMisses=%d, totalFrees=%d, freeMisses=%d]", address, owner, implementation, type,
                PoolType.describe(type), PoolTag.toString(tag), tag, size, currentDepth, depth, maximumDepth,
                totalAllocates, allocateMisses, totalFrees, freeMisses);
    }

    /** {@code !lookaside}'s Max Alloc: {@code Size * Depth}. */
    public long maxAlloc() {
        return (long) size * depth;
    }
}
