package dev.ringzero.pool;

import static dev.ringzero.pool.SizeClasses.PAGE_SHIFT;

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
}
