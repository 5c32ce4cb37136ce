package dev.ringzero.pool;

import static dev.ringzero.pool.SizeClasses.PAGE_SHIFT;
import static dev.ringzero.pool.SizeClasses.PAGE_SIZE;
import static dev.ringzero.pool.SizeClasses.SLAB_PAGES;
import static dev.ringzero.pool.SizeClasses.SLAB_SIZE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One of the two pools (non-paged or paged): its gigabyte of addresses, the chunks reserved in it,
 * the pages in use and the limit on them, the size-class depots, and the huge and special blocks.
 *
 * <p>Everything here except the depots runs under this object's lock, and only on slow paths:
 * carving a new slab or a batch of page blocks for a depot, a big uncached run, a huge or a special
 * block. {@link #committed} counts the bytes of pages handed to slabs and blocks, and is what the
 * limit applies to; chunks themselves are reserved (mapped) on demand and are free until carved.
 */
final class PoolSpace {

    final int index;
    final boolean paged;
    /** The first address of the pool. */
    final int start;
    final int chunkBits;
    final int chunkSize;
    final int chunkPages;
    final int slotCount;
    final long limit;
    /** Blocks above this many pages get a mapping of their own. */
    final int hugePages;
    final Depot[] depots = new Depot[SizeClasses.CLASSES];

    private final AddressSpace memory;
    /**
     * The pool chunks' memory: an automatic arena, freed once the chunks are unreachable, never
     * closed. The fast paths reach chunk memory through {@link PoolChunk#ALL} at a native address,
     * not through a scoped segment; closing the memory under a thread that is between its check of
     * the pool's state and such an access would crash the JVM, while a chunk that lives as long as
     * anything can reach it cannot be freed under anyone. (Huge and special blocks keep shared
     * arenas, closed at their free: they are only reached through scoped segments.)
     */
    private final Arena chunkArena = Arena.ofAuto();
    private final PageFile file;

    // guarded by this
    private final Chunk[] slots;
    private final List<PoolChunk> poolChunks = new ArrayList<>();
    private final List<SpecialChunk> specialChunks = new ArrayList<>();
    private final Set<HugeChunk> liveHuge = new LinkedHashSet<>();
    private final Set<SpecialBlock> liveSpecial = new LinkedHashSet<>();
    private final ArrayDeque<SpecialBlock> quarantine = new ArrayDeque<>();
    private long committed;
    private boolean closed;

    PoolSpace(int index, boolean paged, int start, PoolConfig config, AddressSpace memory, PageFile file) {
        this.index = index;
        this.paged = paged;
        this.start = start;
        this.chunkBits = config.chunkBits();
        this.chunkSize = config.chunkSize();
        this.chunkPages = chunkSize >>> PAGE_SHIFT;
        this.slotCount = (int) (PoolConfig.POOL_SPAN >>> chunkBits);
        this.limit = paged ? config.pagedLimit() : config.nonPagedLimit();
        this.hugePages = chunkPages / 4;
        this.memory = memory;
        this.file = file;
        this.slots = new Chunk[slotCount];
        for (int c = 0; c < depots.length; c++) {
            depots[c] = new Depot();
        }
    }

    synchronized long committed() {
        return committed;
    }

    synchronized List<Chunk> chunks() {
        List<Chunk> out = new ArrayList<>(poolChunks);
        out.addAll(liveHuge);
        out.addAll(specialChunks);
        return out;
    }

    // ---- small and page classes

    /**
     * Carves fresh blocks of class {@code cls}: a new slab for a small class (the first {@code want}
     * blocks into {@code dst[offset..)}, the rest to the depot), or {@code want} page blocks. Returns
     * how many went into {@code dst}; 0 when the pool is at its limit or out of addresses.
     */
    synchronized int carve(int cls, int[] dst, int offset, int want) {
        if (closed) {
            return 0;
        }
        if (!SizeClasses.isSmall(cls)) {
            int pages = SizeClasses.pagesOf(cls);
            int n = 0;
            while (n < want) {
                int address = allocateBigLocked(pages);
                if (address == 0) {
                    break;
                }
                dst[offset + n++] = address;
            }
            return n;
        }
        int slab = allocatePagesLocked(SLAB_PAGES, SLAB_PAGES);
        if (slab == 0) {
            return 0;
        }
        PoolChunk pc = (PoolChunk) memory.chunkAt(slab);
        int off = slab - pc.base;
        int first = off >>> PAGE_SHIFT;
        if (pc.anyDirty(first, SLAB_PAGES)) {
            pc.segment.asSlice(off, SLAB_SIZE).fill((byte) 0); // headers of slots never handed out must read as zero
        }
        for (int p = first; p < first + SLAB_PAGES; p++) {
            pc.describe(p, PoolChunk.SLAB, cls);
            pc.clearPageHeader(p);
            pc.dirty[p] = false;
        }
        pc.markBlockStarts(off, cls);
        int count = SizeClasses.SLOTS[cls];
        int stride = SizeClasses.STRIDE[cls];
        int n = Math.min(want, count);
        for (int i = 0; i < n; i++) {
            dst[offset + n - 1 - i] = slab + PoolHeader.SIZE + i * stride; // lowest address on top
        }
        int[] rest = new int[count - n];
        for (int i = n; i < count; i++) {
            rest[count - 1 - i] = slab + PoolHeader.SIZE + i * stride;
        }
        depots[cls].give(rest, 0, rest.length);
        return n;
    }

    /** Gives page blocks of class {@code cls} beyond what the depot should keep back to the pages. */
    void trimDepot(int cls) {
        int[] extra = depots[cls].trim(4 * SizeClasses.MAGAZINE[cls]);
        if (extra != null) {
            synchronized (this) {
                for (int address : extra) {
                    releaseBigLocked(address);
                }
            }
        }
    }

    /**
     * Returns to the pages every slab all of whose blocks are in its class's depot, and every page
     * block in a depot; the number of pages released. Blocks in threads' magazines keep their slabs.
     * Under this space's lock, so no slab is carved meanwhile; each depot is emptied and refilled
     * under its own lock (taken after this one, as everywhere).
     */
    synchronized int reclaimFreePages() {
        if (closed) {
            return 0;
        }
        long before = committed;
        for (int cls = 0; cls < SizeClasses.SMALL_CLASSES; cls++) {
            if (depots[cls].size() < SizeClasses.SLOTS[cls]) {
                continue; // not even one slab's worth: a failing allocation loop stays cheap
            }
            int[] free = depots[cls].trim(0);
            if (free == null) {
                continue;
            }
            Map<Integer, Integer> freePerSlab = new HashMap<>();
            for (int address : free) {
                freePerSlab.merge(slabOf(address), 1, Integer::sum);
            }
            int kept = 0;
            for (int address : free) {
                int slab = slabOf(address);
                Integer n = freePerSlab.get(slab);
                if (n == null) {
                    continue; // its slab was released just now
                }
                if (n == SizeClasses.SLOTS[cls]) {
                    releaseSlabLocked(slab);
                    freePerSlab.remove(slab);
                } else {
                    free[kept++] = address;
                }
            }
            depots[cls].give(free, 0, kept);
        }
        for (int cls = SizeClasses.SMALL_CLASSES; cls < SizeClasses.CLASSES; cls++) {
            int[] extra = depots[cls].trim(0);
            if (extra != null) {
                for (int address : extra) {
                    releaseBigLocked(address);
                }
            }
        }
        return (int) ((before - committed) >>> PAGE_SHIFT);
    }

    /** The first address of the slab holding small block {@code address}. */
    private int slabOf(int address) {
        PoolChunk pc = memory.poolChunkAt(address);
        return pc.base + ((address - pc.base) & ~SizeClasses.SLAB_MASK);
    }

    /** A slab whose blocks are all free back to the pages (its descriptors and block-start bits cleared). */
    private void releaseSlabLocked(int slab) {
        PoolChunk pc = memory.poolChunkAt(slab);
        pc.markFree((slab - pc.base) >>> PAGE_SHIFT, SLAB_PAGES);
        committed -= SLAB_SIZE;
    }

    // ---- big blocks (whole pages, page aligned)

    /** A run of {@code pages} pages as one big block (header words zero), or 0. */
    synchronized int allocateBig(int pages) {
        return closed ? 0 : allocateBigLocked(pages);
    }

    synchronized void releaseBig(int address) {
        releaseBigLocked(address);
    }

    private int allocateBigLocked(int pages) {
        int address = allocatePagesLocked(pages, 1);
        if (address != 0) {
            PoolChunk pc = (PoolChunk) memory.chunkAt(address);
            int head = (address - pc.base) >>> PAGE_SHIFT;
            pc.clearPageHeader(head);
            for (int p = head + 1; p < head + pages; p++) {
                pc.describe(p, PoolChunk.BIG_TAIL, head);
            }
            pc.describe(head, PoolChunk.BIG, pages);
        }
        return address;
    }

    private void releaseBigLocked(int address) {
        PoolChunk pc = (PoolChunk) memory.chunkAt(address);
        int head = (address - pc.base) >>> PAGE_SHIFT;
        int pages = pc.info(head);
        pc.markFree(head, pages);
        committed -= (long) pages << PAGE_SHIFT;
    }

    private int allocatePagesLocked(int count, int align) {
        long bytes = (long) count << PAGE_SHIFT;
        if (committed + bytes > limit) {
            return 0;
        }
        for (PoolChunk pc : poolChunks) {
            int p = pc.findRun(count, align);
            if (p >= 0) {
                pc.markUsed(p, count);
                committed += bytes;
                return pc.base + (p << PAGE_SHIFT);
            }
        }
        PoolChunk pc = newPoolChunk();
        if (pc == null) {
            return 0;
        }
        pc.markUsed(0, count);
        committed += bytes;
        return pc.base;
    }

    private PoolChunk newPoolChunk() {
        int slot = reserveSlotsLocked(1);
        if (slot < 0) {
            return null;
        }
        MemorySegment segment;
        try {
            segment = paged
                    ? file.map((long) slot << chunkBits, chunkSize, chunkArena)
                    : chunkArena.allocate(chunkSize, PAGE_SIZE);
        } catch (IOException | OutOfMemoryError e) {
            return null; // no memory or no disk: the allocation fails, as NT's would
        }
        PoolChunk pc = new PoolChunk(slotAddress(slot), this, segment);
        install(slot, 1, pc);
        memory.addRange(pc, segment);
        poolChunks.add(pc);
        return pc;
    }

    // ---- huge blocks

    /** A huge block of {@code bytes} (rounded up to pages) with a mapping of its own, or null. */
    HugeChunk allocateHuge(long bytes) {
        long pagesBytes = (bytes + PAGE_SIZE - 1) & -PAGE_SIZE;
        int count = (int) ((pagesBytes + chunkSize - 1) >>> chunkBits);
        synchronized (this) {
            if (closed || committed + pagesBytes > limit) {
                return null;
            }
            int slot = reserveSlotsLocked(count);
            if (slot < 0) {
                return null;
            }
            Arena own = Arena.ofShared();
            MemorySegment segment;
            try {
                segment = paged ? file.map((long) slot << chunkBits, pagesBytes, own) : own.allocate(pagesBytes, PAGE_SIZE);
            } catch (IOException | OutOfMemoryError e) {
                own.close();
                return null;
            }
            HugeChunk hc = new HugeChunk(slotAddress(slot), this, slot, count, own, segment);
            install(slot, count, hc);
            memory.addRange(hc, segment);
            liveHuge.add(hc);
            committed += pagesBytes;
            return hc;
        }
    }

    /**
     * Releases a huge block: its slots become free (the record stays as a tombstone), its mapping is closed.
     * False when it was no longer live (another thread freed it first: of two frees racing past the header
     * check, exactly one gets true).
     */
    boolean freeHuge(HugeChunk hc) {
        synchronized (this) {
            hc.freed = true;
            if (!liveHuge.remove(hc)) {
                return false;
            }
            committed -= hc.pagesBytes();
            memory.removeRange(hc);
        }
        hc.arena.close(); // outside the lock: closing a shared arena waits for a handshake with every thread
        return true;
    }

    // ---- special pool

    /** A special-pool block of exactly {@code bytes} bytes (its own arena), or null. */
    SpecialBlock allocateSpecial(long bytes, boolean atPageStart) {
        int blockPages = (int) ((bytes + PAGE_SIZE - 1) >>> PAGE_SHIFT);
        int run = blockPages + 1; // and a guard page
        long charge = (long) blockPages << PAGE_SHIFT;
        Arena own = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = own.allocate(bytes, 16);
        } catch (OutOfMemoryError e) {
            own.close();
            return null;
        }
        synchronized (this) {
            if (closed || run > chunkPages || committed + charge > limit) {
                own.close();
                return null;
            }
            SpecialChunk sc = null;
            int first = -1;
            if (!specialChunks.isEmpty()) {
                SpecialChunk last = specialChunks.getLast();
                if (last.bump + run <= last.pages) {
                    sc = last;
                    first = last.bump;
                    last.bump += run;
                }
            }
            if (sc == null) {
                int slot = reserveSlotsLocked(1);
                if (slot >= 0) {
                    sc = new SpecialChunk(slotAddress(slot), this, chunkSize);
                    install(slot, 1, sc);
                    specialChunks.add(sc);
                    first = 0;
                    sc.bump = run;
                }
            }
            if (sc == null) { // out of addresses: reuse the oldest freed run that fits
                for (Iterator<SpecialBlock> it = quarantine.iterator(); it.hasNext(); ) {
                    SpecialBlock q = it.next();
                    if (q.runPages >= run) {
                        it.remove();
                        sc = q.chunk;
                        first = q.firstPage;
                        for (int p = first; p < first + q.runPages; p++) {
                            sc.blocks[p] = null;
                        }
                        break;
                    }
                }
            }
            if (sc == null) {
                own.close();
                return null;
            }
            int end = sc.base + ((first + blockPages) << PAGE_SHIFT);
            // At the end of its last page, so an overrun runs off the page (NT's default), or at the start of
            // its first page, so an underrun does (the priority's ...SpecialPoolUnderrun).
            int address = atPageStart ? sc.base + (first << PAGE_SHIFT) : end - (int) ((bytes + 15) & -16);
            SpecialBlock b = new SpecialBlock(sc, address, first, run, own, segment);
            for (int p = first; p < first + blockPages; p++) {
                sc.blocks[p] = b;
            }
            memory.addSpecial(b);
            liveSpecial.add(b);
            committed += charge;
            return b;
        }
    }

    /**
     * Frees a special block: its arena is closed, its pages stay in quarantine until reused. False when it
     * was no longer live (as {@link #freeHuge}).
     */
    boolean freeSpecial(SpecialBlock b) {
        synchronized (this) {
            b.freed = true;
            if (!liveSpecial.remove(b)) {
                return false;
            }
            memory.removeSpecial(b);
            committed -= (long) (b.runPages - 1) << PAGE_SHIFT;
            quarantine.addLast(b);
        }
        b.arena.close(); // outside the lock (a handshake with every thread)
        return true;
    }

    // ---- slots

    private int slotAddress(int slot) {
        return start + (slot << chunkBits);
    }

    private int reserveSlotsLocked(int count) {
        for (int s = 0; s + count <= slotCount; s++) {
            int i = 0;
            while (i < count && isFreeSlot(s + i)) {
                i++;
            }
            if (i == count) {
                return s;
            }
            s += i;
        }
        return -1;
    }

    private boolean isFreeSlot(int slot) {
        Chunk c = slots[slot];
        return c == null || (c instanceof HugeChunk h && h.freed);
    }

    private void install(int slot, int count, Chunk chunk) {
        int global = (start >>> chunkBits) + slot;
        for (int i = 0; i < count; i++) {
            slots[slot + i] = chunk;
            memory.table[global + i] = chunk;
            memory.poolChunks[global + i] = chunk instanceof PoolChunk pc ? pc : null;
        }
    }

    /**
     * Closes the huge and special blocks' mappings (later accesses through their segments fail with
     * {@code IllegalStateException}); the chunks' memory goes when the chunks do ({@link #chunkArena}).
     */
    void close() {
        List<Arena> arenas = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (HugeChunk hc : liveHuge) {
                hc.freed = true;
                arenas.add(hc.arena);
            }
            for (SpecialBlock b : liveSpecial) {
                b.freed = true;
                arenas.add(b.arena);
            }
            liveHuge.clear();
            liveSpecial.clear();
        }
        for (Arena a : arenas) {
            a.close();
        }
    }
}
