package dev.ringzero.pool;

/**
 * One slot of the chunk table: a {@code 2^chunkBits}-byte stretch of system addresses and what backs
 * it. {@link AddressSpace} finds the chunk of any address with {@code table[address >>> chunkBits]};
 * the chunk's own page descriptors then give the block. Published to other threads by a plain store
 * into the table: every field that readers use is final, and an address reaches another thread only
 * after the allocation that installed its chunk (through the driver's own synchronization).
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
}
