package dev.ringzero.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

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
    /** Header words (see {@link PoolHeader}); plain, like an in-memory header. Only the accessors below touch them. */
    private long word0;
    private long word1;
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

    // The block is the chunk: every address passed here is its base (the callers check).

    @Override
    long word0(int address) {
        return word0;
    }

    @Override
    long word1(int address) {
        return word1;
    }

    @Override
    void setWord0(int address, long w0) {
        word0 = w0;
    }

    @Override
    void writeHeader(int address, long w0, long w1) {
        word1 = w1;
        word0 = w0;
    }

    @Override
    long blockSize(int address) {
        return (PoolHeader.numberOfBytes(word0) + SizeClasses.PAGE_MASK) & -SizeClasses.PAGE_SIZE;
    }

    @Override
    int liveBlockAt(int address) {
        return holds(address) ? base : 0;
    }

    @Override
    void forEachLive(int ownerIndex, Consumer<BlockRef> sink) {
        if (!freed && PoolHeader.isLive(word0) && ownedBy(word1, ownerIndex)) {
            sink.accept(new BlockRef(this, base));
        }
    }

    /** The block is live and {@code address} is inside the bytes it was asked for. */
    boolean holds(int address) {
        return !freed && PoolHeader.isLive(word0) && Integer.toUnsignedLong(address - base) < PoolHeader.numberOfBytes(word0);
    }
}
