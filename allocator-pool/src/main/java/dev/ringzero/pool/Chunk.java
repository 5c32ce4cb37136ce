package dev.ringzero.pool;

import java.util.function.Consumer;

/**
 * One slot of the chunk table: a {@code 2^chunkBits}-byte stretch of system addresses and what backs
 * it. {@link AddressSpace} finds the chunk of any address with {@code table[address >>> chunkBits]};
 * the chunk's own page descriptors then give the block. Published to other threads by a plain store
 * into the table: every field that readers use is final, and an address reaches another thread only
 * after the allocation that installed its chunk (through the driver's own synchronization).
 *
 * <p><b>Block headers.</b> Every block has the same two header words ({@link PoolHeader}); where they
 * live is the chunk's business, so each kind reads and writes its own and nothing else does: a small
 * block's in front of it in the chunk's memory and a page-aligned block's in the big-page table
 * ({@link PoolChunk}), a huge block's in its record ({@link HugeChunk}), a special-pool block's in its
 * {@link SpecialBlock}. {@code address} is always a block's first byte, as the caller found it.
 * Accesses are plain: see {@link PoolHeader} for why that is enough.
 */
abstract sealed class Chunk permits PoolChunk, HugeChunk, SpecialChunk {

    /** The first system address. */
    final int base;
    /** The pool it belongs to. */
    final PoolSpace space;

    Chunk(int base, PoolSpace space) {
        this.base = base;
        this.space = space;
    }

    /** Header word 0 of the block at {@code address}. */
    abstract long word0(int address);

    /** Header word 1 of the block at {@code address}. */
    abstract long word1(int address);

    /** Replaces header word 0 of the block at {@code address} (freed, marked, unmarked). */
    abstract void setWord0(int address, long w0);

    /**
     * Writes both header words of the block at {@code address}, word 1 first, so that a racy reader never
     * sees a live word 0 with a stale owner and tag.
     */
    abstract void writeHeader(int address, long w0, long w1);

    /**
     * What {@code ExQueryPoolBlockSize} reports for the live block at {@code address}: the bytes asked for,
     * or whole pages for a block that takes whole pages.
     */
    abstract long blockSize(int address);

    /** The first byte of the live block holding {@code address} (anywhere inside it), or 0 when no live block does. */
    abstract int liveBlockAt(int address);

    /** Every live block of this chunk; only those of owner {@code ownerIndex} unless it is 0 (a scan of the headers). */
    abstract void forEachLive(int ownerIndex, Consumer<BlockRef> sink);

    /** Header word 1 {@code w1} is of owner {@code ownerIndex}, or any owner is asked for (0). */
    static boolean ownedBy(long w1, int ownerIndex) {
        return ownerIndex == 0 || PoolHeader.owner(w1) == ownerIndex;
    }
}
