package dev.ringzero.spi.memory;

import dev.ringzero.api.memory.PoolTag;

/**
 * Per-tag accounting for one pool, as {@code !poolused} and PoolMon show it.
 *
 * @param tag         the tag value
 * @param paged       paged pool ({@code true}) or non-paged
 * @param allocs      allocations made with this tag
 * @param frees       frees of blocks with this tag
 * @param bytesInUse  bytes asked for by the blocks still allocated
 */
public record PoolTagUsage(int tag, boolean paged, long allocs, long frees, long bytesInUse) {

    /** PoolMon's {@code Diff}: blocks still allocated. */
    public long outstanding() {
        return allocs - frees;
    }

    /** The tag as tools display it. */
    public String tagName() {
        return PoolTag.toString(tag);
    }
}
