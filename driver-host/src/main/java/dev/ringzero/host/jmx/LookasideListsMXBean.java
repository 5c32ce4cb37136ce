package dev.ringzero.host.jmx;

import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;

/** Every registered lookaside list: NT's header counters, the tuned {@code Depth} and the implementation serving it. */
public interface LookasideListsMXBean {

    /** One row per live list. */
    Row[] getLists();

    /**
     * NT's field names ({@code !lookaside}'s): {@code address} as {@code %08X}, hit rates in percent (floor).
     */
    record Row(String address, String owner, String implementation, String tag, int size, int type, int currentDepth,
               int depth, int maximumDepth, long totalAllocates, long allocateMisses, int allocateHitRate,
               long totalFrees, long freeMisses, int freeHitRate) {

        static Row of(LookasideInfo l) {
            return new Row(String.format("%08X", l.address()), l.owner().name(), l.implementation(), PoolTag.toString(l.tag()),
                    l.size(), l.type(), l.currentDepth(), l.depth(), l.maximumDepth(), l.totalAllocates(), l.allocateMisses(),
                    l.allocateHitRate(), l.totalFrees(), l.freeMisses(), l.freeHitRate());
        }
    }
}
