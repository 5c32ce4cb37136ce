package dev.ringzero.pool;

import static dev.ringzero.pool.SizeClasses.PAGE_SHIFT;

import java.util.function.Consumer;

/**
 * A chunk of special-pool addresses. It has no memory of its own: each page descriptor points to the
 * {@link SpecialBlock} whose pages cover it, and each special block has its own arena. A block takes
 * {@code ceil(size / 4096)} pages plus one guard page with no block (any access there is a page
 * fault); its end is aligned to the end of its last page (rounded to 16 bytes), as NT's special pool
 * places blocks to catch overruns. Freed blocks stay in the descriptors (quarantine) until their pages
 * are handed out again, oldest first.
 */
final class SpecialChunk extends Chunk {

    final SpecialBlock[] blocks;
    final int pages;
    /** The first page never handed out (guarded by the space). */
    int bump;

    SpecialChunk(int base, PoolSpace space, int chunkSize) {
        super(base, space);
        this.pages = chunkSize >>> PAGE_SHIFT;
        this.blocks = new SpecialBlock[pages];
    }

    /** The block whose pages cover {@code address} (live or in quarantine), or null. */
    SpecialBlock blockAt(int address) {
        return blocks[(address - base) >>> PAGE_SHIFT];
    }

    // Every address passed to the header accessors is a block's first byte (the callers check).

    @Override
    long word0(int address) {
        return blockAt(address).word0;
    }

    @Override
    long word1(int address) {
        return blockAt(address).word1;
    }

    @Override
    void setWord0(int address, long w0) {
        blockAt(address).word0 = w0;
    }

    @Override
    void writeHeader(int address, long w0, long w1) {
        SpecialBlock b = blockAt(address);
        b.word1 = w1;
        b.word0 = w0;
    }

    @Override
    long blockSize(int address) {
        return PoolHeader.numberOfBytes(blockAt(address).word0);
    }

    @Override
    int liveBlockAt(int address) {
        SpecialBlock b = blockAt(address);
        return b != null && !b.freed && Integer.toUnsignedLong(address - b.address) < b.size() ? b.address : 0;
    }

    @Override
    void forEachLive(int ownerIndex, Consumer<BlockRef> sink) {
        for (int p = 0; p < pages; p++) {
            SpecialBlock b = blocks[p];
            if (b != null && !b.freed && (b.address - base) >>> PAGE_SHIFT == p // once per block, at its first page
                    && PoolHeader.isLive(b.word0) && ownedBy(b.word1, ownerIndex)) {
                sink.accept(new BlockRef(this, b.address));
            }
        }
    }
}
