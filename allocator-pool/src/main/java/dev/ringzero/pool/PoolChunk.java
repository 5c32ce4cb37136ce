package dev.ringzero.pool;

import static dev.ringzero.pool.SizeClasses.PAGE_SHIFT;
import static dev.ringzero.pool.SizeClasses.PAGE_SIZE;

import dev.ringzero.api.Irql;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A chunk of pool pages: 64 KiB slabs of small blocks and page-aligned runs of big blocks, in one
 * native segment (anonymous memory for non-paged pool, a window of the page file for paged pool)
 * whose native base is page aligned, so system and native addresses agree modulo 4096.
 *
 * <p>Page descriptors, one entry per page:
 * <pre>
 * desc[p]      kind | info << 2, one load for both:
 *                kind  FREE | SLAB | BIG (first page of a big block) | BIG_TAIL
 *                info  SLAB: the size class; BIG: the block's pages; BIG_TAIL: the first page's index
 * word0[p]     BIG: header word 0 (see {@link PoolHeader}); kept after the block is released, so a
 *              second free of the same address is told apart from a wild one
 * word1[p]     BIG: header word 1
 * dirty[p]     the page held data before it was released (a slab carved on it is zeroed first)
 * </pre>
 * and one bit per 16-byte granule, {@link #blockStarts}, set where a small block starts. {@code desc}
 * and the bits change only under the space's lock, while no block on the pages is live; the free path
 * reads them without the lock, which is safe because the pages of a live block do not change kind
 * (and two slabs never share a word of bits). {@code used} (a page bitmap) and {@code freePages} are
 * guarded by the space.
 *
 * <p>The memory comes from an automatic arena (see {@code PoolSpace.chunkArena}): it lives as long as
 * this object, which lets the fast paths reach header words through {@link #ALL}.
 */
final class PoolChunk extends Chunk {

    static final int FREE = 0;
    static final int SLAB = 1;
    static final int BIG = 2;
    static final int BIG_TAIL = 3;
    static final int KIND_MASK = 3;
    static final int INFO_SHIFT = 2;
    /** The unit of {@link #blockStarts}: blocks are 16-aligned. */
    static final int GRANULE = 16;
    private static final int GRANULE_SHIFT = 4;
    /** Words of {@link #blockStarts} per page. */
    private static final int START_WORDS_PER_PAGE = PAGE_SIZE / GRANULE / Long.SIZE;

    /**
     * All native memory, for the fast paths' header accesses at {@code nativeBase + offset}. A constant
     * segment lets C2 drop the class, read-only and session checks an access through {@link #segment}
     * (a field) costs, about 15 instructions each, three to five per allocate + free. Safe because
     * every offset used with it is inside this chunk (checked by the caller, as for {@code segment})
     * and the chunk's memory lives as long as the chunk object (an automatic arena, see
     * {@code PoolSpace.chunkArena}); the accessors keep {@code this} reachable until their access.
     * Null when this module may not call restricted methods ({@code --illegal-native-access=deny}
     * without {@code --enable-native-access} for it): the accessors then go through {@link #segment}.
     */
    static final MemorySegment ALL = allMemory();
    /** {@link #ALL} is there; a constant, so C2 keeps only one of each accessor's two paths. */
    private static final boolean DIRECT = ALL != null;

    private static MemorySegment allMemory() {
        try {
            return MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        } catch (IllegalCallerException nativeAccessDenied) {
            return null;
        }
    }

    final MemorySegment segment;
    final long nativeBase;
    final int pages;
    /** This chunk's pool as a tag counter's key bit ({@link TagCounters#key(int, int, long)}). */
    final long pagedKeyBit;
    /** The first magazine slot of this chunk's pool ({@code space.index * CLASSES}), for the fast free. */
    final int slotBase;
    /** The highest IRQL a block of this chunk's pool may be freed at. */
    final int maxIrql;

    final int[] desc;
    /**
     * One bit per 16-byte granule, set where a small block starts (right after its header): the fast
     * free's proof that an address is a block start, one load instead of the slab geometry's division.
     */
    final long[] blockStarts;
    /** The big-page table: header words of page-aligned blocks, by first page. Only the header accessors touch it. */
    private final long[] word0;
    private final long[] word1;
    final boolean[] dirty;

    /** Pages in use (guarded by the space). */
    final long[] used;
    /** Pages not in use (guarded by the space). */
    int freePages;

    PoolChunk(int base, PoolSpace space, MemorySegment segment) {
        super(base, space);
        this.segment = segment;
        this.nativeBase = segment.address();
        this.pages = (int) (segment.byteSize() >>> PAGE_SHIFT);
        this.pagedKeyBit = space.paged ? TagCounters.PAGED_KEY_BIT : 0;
        this.slotBase = space.index * SizeClasses.CLASSES;
        this.maxIrql = space.paged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL;
        this.desc = new int[pages];
        this.blockStarts = new long[pages * START_WORDS_PER_PAGE];
        this.word0 = new long[pages];
        this.word1 = new long[pages];
        this.dirty = new boolean[pages];
        this.used = new long[(pages + 63) >>> 6];
        this.freePages = pages;
        if ((nativeBase & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalStateException("chunk memory is not page aligned: native=0x" + Long.toHexString(nativeBase));
        }
    }

    // ---- block headers: this chunk's own (see Chunk). A small block's header is in front of it in the
    // chunk's memory; a page-aligned block's is in the big-page table, kept after the block is released
    // so that a second free of the address is told apart from a wild one.

    /** The block at {@code address} has its header in front of it: its page is a slab's. */
    boolean headerInFront(int address) {
        return kind((address - base) >>> PAGE_SHIFT) == SLAB;
    }

    @Override
    long word0(int address) {
        int off = address - base;
        return headerInFront(address) ? headerWord(off, PoolHeader.WORD0) : word0[off >>> PAGE_SHIFT];
    }

    @Override
    long word1(int address) {
        int off = address - base;
        return headerInFront(address) ? headerWord(off, PoolHeader.WORD1) : word1[off >>> PAGE_SHIFT];
    }

    @Override
    void setWord0(int address, long w0) {
        int off = address - base;
        if (headerInFront(address)) {
            setHeaderWord0(off, w0);
        } else {
            word0[off >>> PAGE_SHIFT] = w0;
        }
    }

    @Override
    void writeHeader(int address, long w0, long w1) {
        if (headerInFront(address)) {
            writeSmallHeader(address, w0, w1);
        } else {
            int page = (address - base) >>> PAGE_SHIFT;
            word1[page] = w1;
            word0[page] = w0;
        }
    }

    @Override
    long blockSize(int address) {
        long n = PoolHeader.numberOfBytes(word0(address));
        return headerInFront(address) ? n : (n + SizeClasses.PAGE_MASK) & -PAGE_SIZE;
    }

    @Override
    int liveBlockAt(int address) {
        if (locate(address) < 0) {
            return 0;
        }
        int off = address - base;
        int page = off >>> PAGE_SHIFT;
        if (kind(page) == SLAB) {
            int cls = info(page);
            int inSlab = off & SizeClasses.SLAB_MASK;
            int slot = SizeClasses.slotOf(cls, inSlab);
            return address - inSlab + slot * SizeClasses.STRIDE[cls] + PoolHeader.SIZE;
        }
        int head = kind(page) == BIG ? page : info(page);
        return base + (head << PAGE_SHIFT);
    }

    @Override
    void forEachLive(int ownerIndex, Consumer<BlockRef> sink) {
        for (int page = 0; page < pages; page++) {
            int kind = kind(page);
            if (kind == SLAB && page % SizeClasses.SLAB_PAGES == 0) {
                int cls = info(page);
                int first = (page << PAGE_SHIFT) + PoolHeader.SIZE;
                for (int slot = 0; slot < SizeClasses.SLOTS[cls]; slot++) {
                    int off = first + slot * SizeClasses.STRIDE[cls];
                    if (PoolHeader.isLive(headerWord(off, PoolHeader.WORD0))
                            && ownedBy(headerWord(off, PoolHeader.WORD1), ownerIndex)) {
                        sink.accept(new BlockRef(this, base + off));
                    }
                }
            } else if (kind == BIG && PoolHeader.isLive(word0[page]) && ownedBy(word1[page], ownerIndex)) {
                sink.accept(new BlockRef(this, base + (page << PAGE_SHIFT)));
            }
        }
    }

    /** Header word 0 of the page-aligned block whose first page is {@code page} (the fast free of page classes). */
    long pageWord0(int page) {
        return word0[page];
    }

    /** Header word 1 of the page-aligned block whose first page is {@code page}. */
    long pageWord1(int page) {
        return word1[page];
    }

    /** Sets header word 0 of the page-aligned block whose first page is {@code page}. */
    void setPageWord0(int page, long w0) {
        word0[page] = w0;
    }

    /** Forgets the big-page table's words of {@code page}: the page starts a new slab or big block. */
    void clearPageHeader(int page) {
        word0[page] = 0;
        word1[page] = 0;
    }

    /** {@link #writeHeader} for a block of a small class: the header in front of the block (the fast allocate). */
    void writeSmallHeader(int address, long w0, long w1) {
        int off = address - base;
        if (DIRECT) {
            ALL.set(PoolHeader.WORD, nativeBase + off + PoolHeader.WORD1, w1);
            ALL.set(PoolHeader.WORD, nativeBase + off + PoolHeader.WORD0, w0);
            Reference.reachabilityFence(this);
        } else {
            segment.set(PoolHeader.WORD, off + PoolHeader.WORD1, w1);
            segment.set(PoolHeader.WORD, off + PoolHeader.WORD0, w0);
        }
    }

    /** Word {@code word} ({@link PoolHeader#WORD0} or {@link PoolHeader#WORD1}) of the small block at {@code off}. */
    long headerWord(int off, long word) {
        if (!DIRECT) {
            return segment.get(PoolHeader.WORD, off + word);
        }
        long w = ALL.get(PoolHeader.WORD, nativeBase + off + word);
        Reference.reachabilityFence(this);
        return w;
    }

    /** Sets header word 0 of the small block at {@code off}. */
    void setHeaderWord0(int off, long w0) {
        if (DIRECT) {
            ALL.set(PoolHeader.WORD, nativeBase + off + PoolHeader.WORD0, w0);
            Reference.reachabilityFence(this);
        } else {
            segment.set(PoolHeader.WORD, off + PoolHeader.WORD0, w0);
        }
    }

    /**
     * Finds the live block holding {@code address} (which must be in this chunk): returns
     * {@code (bytesLeftInBlock << 32) | offsetInChunk}, or -1 when the address is in no live block
     * (a free page, a header, a slab's tail, a freed block, or past the bytes asked for).
     */
    long locate(int address) {
        int off = address - base;
        if (blockStartMisfit(off) == 0) { // a small block's first byte, the usual case: no geometry to work out
            long w0 = headerWord(off, PoolHeader.WORD0);
            return PoolHeader.isLive(w0) ? (PoolHeader.numberOfBytes(w0) << 32) | off : -1;
        }
        int page = off >>> PAGE_SHIFT;
        int d = desc[page];
        int k = d & KIND_MASK;
        long size;
        long rel;
        if (k == SLAB) {
            long g = SizeClasses.slabGeometry(d >>> INFO_SHIFT);
            int inSlab = off & SizeClasses.SLAB_MASK;
            int slot = SizeClasses.slotOf(g, inSlab);
            int r = inSlab - slot * SizeClasses.strideOf(g) - PoolHeader.SIZE;
            if ((r | (SizeClasses.slotsOf(g) - 1 - slot)) < 0) { // in a header, or past the slab's last block
                return -1;
            }
            long w0 = headerWord(off - r, PoolHeader.WORD0);
            if (!PoolHeader.isLive(w0)) {
                return -1;
            }
            size = PoolHeader.numberOfBytes(w0);
            rel = r;
        } else if (k == BIG || k == BIG_TAIL) {
            int head = k == BIG ? page : d >>> INFO_SHIFT;
            long w0 = word0[head];
            if (!PoolHeader.isLive(w0)) {
                return -1;
            }
            size = PoolHeader.numberOfBytes(w0);
            rel = off - ((long) head << PAGE_SHIFT);
        } else {
            return -1;
        }
        return rel < size ? ((size - rel) << 32) | off : -1;
    }

    /** The first of {@code count} free pages whose index is a multiple of {@code align}, or -1. */
    int findRun(int count, int align) {
        if (count > freePages) {
            return -1;
        }
        int p = 0;
        while (p + count <= pages) {
            long w = used[p >>> 6];
            if (w == -1L && (p & 63) == 0) {
                p += 64;
                continue;
            }
            int busy = firstUsed(p, count);
            if (busy < 0) {
                return p;
            }
            p = ((busy + 1 + align - 1) / align) * align;
        }
        return -1;
    }

    /** The first used page in {@code [p, p + count)}, or -1. */
    private int firstUsed(int p, int count) {
        for (int i = p, end = p + count; i < end; i++) {
            if ((used[i >>> 6] & (1L << i)) != 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * 0 exactly when {@code off} (an offset in this chunk) is where a small block starts: 16-aligned,
     * with its granule's bit set. No branch; the index cannot leave the bitmap for an offset inside the chunk.
     */
    long blockStartMisfit(int off) {
        int granule = off >>> GRANULE_SHIFT;
        return (off & (GRANULE - 1)) | (~(blockStarts[granule >>> 6] >>> granule) & 1); // a long shift uses granule's low 6 bits
    }

    /** Sets the bits of every block start of a new slab of small class {@code cls} at {@code slabOff}. */
    void markBlockStarts(int slabOff, int cls) {
        int stride = SizeClasses.STRIDE[cls];
        for (int i = 0, n = SizeClasses.SLOTS[cls]; i < n; i++) {
            int granule = (slabOff + PoolHeader.SIZE + i * stride) >>> GRANULE_SHIFT;
            blockStarts[granule >>> 6] |= 1L << granule;
        }
    }

    void markUsed(int first, int count) {
        for (int i = first; i < first + count; i++) {
            used[i >>> 6] |= 1L << i;
        }
        freePages -= count;
    }

    void markFree(int first, int count) {
        for (int i = first; i < first + count; i++) {
            used[i >>> 6] &= ~(1L << i);
            Arrays.fill(blockStarts, i * START_WORDS_PER_PAGE, (i + 1) * START_WORDS_PER_PAGE, 0L); // a released slab's bits go with it
            desc[i] = FREE;
            dirty[i] = true;
        }
        freePages += count;
    }

    int kind(int page) {
        return desc[page] & KIND_MASK;
    }

    int info(int page) {
        return desc[page] >>> INFO_SHIFT;
    }

    void describe(int page, int kind, int info) {
        desc[page] = kind | (info << INFO_SHIFT);
    }

    boolean anyDirty(int first, int count) {
        for (int i = first; i < first + count; i++) {
            if (dirty[i]) {
                return true;
            }
        }
        return false;
    }
}
