package dev.ringzero.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One huge block (a quarter of a chunk or more): a run of whole chunk slots, every one of which
 * points here, backed by a mapping of its own that is released (its arena closed) when the block is
 * freed. After the free the record stays in the table as a tombstone ({@link #freed}) until the
 * slots are reused, so a second free is a double free and a stale access a page fault.
 */
final class HugeChunk extends Chunk {

    final Arena arena;
    final MemorySegment segment;
    final long nativeBase;
    final int slots;
    final int firstSlot;
    /** Header words (see {@link PoolHeader}); plain, like an in-memory header. */
    long word0;
    long word1;
    volatile boolean freed;

    HugeChunk(int base, PoolSpace space, int firstSlot, int slots, Arena arena, MemorySegment segment) {
        super(base, space);
        this.firstSlot = firstSlot;
        this.slots = slots;
        this.arena = arena;
        this.segment = segment;
        this.nativeBase = segment.address();
    }

    long pagesBytes() {
        return segment.byteSize();
    }
}
