package dev.ringzero.pool;

/**
 * The block sizes the pool caches, and the arithmetic that finds a block from an interior address.
 *
 * <p><b>Small classes</b> (0..31) hold blocks of 1 to {@link #POOL_MAX_ALLOC} bytes: 16-byte steps up
 * to 256 bytes, then four steps per doubling up to 4080. A small block lives in a 64 KiB <i>slab</i>
 * of one class, as {@code [header][block][header][block]...} with stride {@code payload + 16}; slabs
 * are 64 KiB-aligned, so the slab of any address is {@code address & ~0xFFFF} and its slot is
 * {@code offsetInSlab / stride}, computed as a multiply by a reciprocal ({@link #slotOf}).
 *
 * <p><b>Page classes</b> (32..47) hold whole-page blocks of 1 to 16 pages (4081 bytes to 64 KiB), page
 * aligned, with their headers in the chunk's big-page table. Larger blocks are page runs that are not
 * cached, or, from a quarter of a chunk up, huge blocks with their own mapping.
 */
final class SizeClasses {

    static final int PAGE_SHIFT = 12;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE_SIZE - 1;

    /**
     * The small-block limit: {@code PAGE_SIZE - sizeof(POOL_HEADER)}, 4080 bytes, the figure x86 NT
     * gets from {@code PAGE_SIZE - (sizeof(POOL_HEADER) + POOL_BLOCK_SIZE)}: one page holds one header
     * and the largest small block.
     */
    static final int POOL_MAX_ALLOC = PAGE_SIZE - PoolHeader.SIZE;

    static final int SLAB_SHIFT = 16;
    static final int SLAB_SIZE = 1 << SLAB_SHIFT;
    static final int SLAB_MASK = SLAB_SIZE - 1;
    static final int SLAB_PAGES = SLAB_SIZE / PAGE_SIZE;

    static final int SMALL_CLASSES = 32;
    static final int PAGE_CLASSES = 16;
    static final int CLASSES = SMALL_CLASSES + PAGE_CLASSES;

    /** The largest cached request: 16 pages. */
    static final int MAX_CACHED_BYTES = PAGE_CLASSES * PAGE_SIZE;

    /** Bytes a block of each class occupies, header excluded (small) or in whole pages. */
    static final int[] PAYLOAD = new int[CLASSES];
    /** Small classes: header + payload. */
    static final int[] STRIDE = new int[SMALL_CLASSES];
    /** Small classes: blocks per slab. */
    static final int[] SLOTS = new int[SMALL_CLASSES];
    /** Small classes: {@code floor(2^32 / stride) + 1}, exact for offsets below 2^16 (see {@link #slotOf}). */
    static final long[] RECIPROCAL = new long[SMALL_CLASSES];
    /**
     * Small classes: {@code RECIPROCAL | STRIDE << 32 | SLOTS << 48}, what {@link #isBlockStart} needs
     * in one load (the fast free's check that an address is a block's start).
     */
    static final long[] SLAB_GEOMETRY = new long[SMALL_CLASSES];
    /** How many free blocks a thread's magazine of each class holds. */
    static final int[] MAGAZINE = new int[CLASSES];

    private static final byte[] SMALL_INDEX = new byte[(POOL_MAX_ALLOC >>> 4) + 1];

    static {
        int cls = 0;
        for (int size = 16; size <= 256; size += 16) {
            PAYLOAD[cls++] = size;
        }
        for (int base = 256; base < 4096; base <<= 1) {
            for (int step = 1; step <= 4; step++) {
                PAYLOAD[cls++] = Math.min(base + step * base / 4, POOL_MAX_ALLOC);
            }
        }
        if (cls != SMALL_CLASSES || PAYLOAD[SMALL_CLASSES - 1] != POOL_MAX_ALLOC) {
            throw new ExceptionInInitializerError("small classes: " + cls);
        }
        for (int c = 0, units = 1; units < SMALL_INDEX.length; units++) {
            while (PAYLOAD[c] < units * 16) {
                c++;
            }
            SMALL_INDEX[units] = (byte) c;
        }
        for (int c = 0; c < SMALL_CLASSES; c++) {
            STRIDE[c] = PAYLOAD[c] + PoolHeader.SIZE;
            SLOTS[c] = SLAB_SIZE / STRIDE[c];
            RECIPROCAL[c] = (1L << 32) / STRIDE[c] + 1;
            SLAB_GEOMETRY[c] = RECIPROCAL[c] | (long) STRIDE[c] << 32 | (long) SLOTS[c] << 48;
            MAGAZINE[c] = Math.clamp((128 * 1024) / STRIDE[c], 16, 64);
        }
        for (int p = 1; p <= PAGE_CLASSES; p++) {
            PAYLOAD[SMALL_CLASSES + p - 1] = p * PAGE_SIZE;
            MAGAZINE[SMALL_CLASSES + p - 1] = Math.clamp(16 / p, 4, 16);
        }
    }

    private SizeClasses() {
    }

    /** The class of a request of {@code n} bytes, {@code 1 <= n <= MAX_CACHED_BYTES}. */
    static int classOf(int n) {
        return n <= POOL_MAX_ALLOC
                ? smallClassOf(n)
                : SMALL_CLASSES - 1 + ((n + PAGE_MASK) >>> PAGE_SHIFT);
    }

    /**
     * The class of a request of {@code n} bytes, {@code 1 <= n <= POOL_MAX_ALLOC}; for any other
     * {@code n} some small class (the index is masked, never out of bounds), which the caller discards.
     */
    static int smallClassOf(int n) {
        return SMALL_INDEX[((n + 15) >>> 4) & 0xFF];
    }

    static boolean isSmall(int cls) {
        return cls < SMALL_CLASSES;
    }

    /** Pages of a page class. */
    static int pagesOf(int cls) {
        return cls - SMALL_CLASSES + 1;
    }

    /** The page class of a block of {@code pages} pages (1..16). */
    static int pageClass(int pages) {
        return SMALL_CLASSES + pages - 1;
    }

    /**
     * The slot holding {@code offsetInSlab} in a slab of small class {@code cls}:
     * {@code offsetInSlab / STRIDE[cls]} without a division. With {@code m = floor(2^32/s) + 1} the
     * product {@code o*m / 2^32} exceeds {@code o/s} by less than {@code o/2^32 < 2^-16}, while the
     * fractional part of {@code o/s} is at most {@code 1 - 1/s <= 1 - 2^-13}: the floor is exact.
     */
    static int slotOf(int cls, int offsetInSlab) {
        return (int) ((offsetInSlab * RECIPROCAL[cls]) >>> 32);
    }

    /**
     * Whether {@code offsetInSlab} is where a block of small class {@code cls} starts (right after a
     * header).
     */
    static boolean isBlockStart(int cls, int offsetInSlab) {
        return blockStartMisfit(cls, offsetInSlab) == 0;
    }

    /**
     * 0 exactly when {@code offsetInSlab} is where a block of small class {@code cls} starts, without a
     * branch: {@link #slotOf} and the slot's bounds from one load of {@link #SLAB_GEOMETRY}, whose
     * index mask (a no-op for a small class) spares the bounds check.
     */
    static int blockStartMisfit(int cls, int offsetInSlab) {
        long g = slabGeometry(cls);
        int slot = slotOf(g, offsetInSlab);
        return (offsetInSlab - slot * strideOf(g) - PoolHeader.SIZE) // not right after a header
                | ((slotsOf(g) - 1 - slot) >> 31);                  // past the slab's last block
    }

    /** {@link #SLAB_GEOMETRY} of a small class; the index mask (a no-op for a small class) spares the bounds check. */
    static long slabGeometry(int cls) {
        return SLAB_GEOMETRY[cls & (SMALL_CLASSES - 1)];
    }

    /** {@link #slotOf(int, int)} from a class's {@link #slabGeometry}. */
    static int slotOf(long geometry, int offsetInSlab) {
        return (int) ((offsetInSlab * (geometry & 0xFFFF_FFFFL)) >>> 32);
    }

    static int strideOf(long geometry) {
        return (int) ((geometry >>> 32) & 0xFFFF);
    }

    static int slotsOf(long geometry) {
        return (int) (geometry >>> 48);
    }
}
