package dev.ringzero.pool;

import static dev.ringzero.pool.SizeClasses.CLASSES;
import static dev.ringzero.pool.SizeClasses.MAX_CACHED_BYTES;
import static dev.ringzero.pool.SizeClasses.PAGE_CLASSES;
import static dev.ringzero.pool.SizeClasses.PAGE_MASK;
import static dev.ringzero.pool.SizeClasses.PAGE_SHIFT;
import static dev.ringzero.pool.SizeClasses.PAGE_SIZE;
import static dev.ringzero.pool.SizeClasses.SLAB_MASK;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.memory.PoolPriority;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The executive pool's allocate and free: the fast paths (a thread's magazine, one test of everything the
 * usual case needs), the checked paths that run NT's checks in NT's order, the slow paths (page runs, huge
 * and special blocks), and the services built on finding blocks by address. The algorithm, the memory-ordering
 * rules and the invariants are the package's ({@code package-info.java}); the rooms this class leans on:
 * {@link ThreadCaches} (every thread's cache and the reaping), {@link OwnerTable}, {@link LookasideMarks},
 * {@link AllocationSites}, and each {@link Chunk} kind for its blocks' headers.
 */
final class PoolEngine implements AutoCloseable {

    /** Pool types that never take the fast path. */
    private static final int SLOW_TYPE_BITS = PoolType.MUST_SUCCEED_POOL_MASK | PoolType.CACHE_ALIGNED_POOL_MASK;
    /** Pool types the inlined fast allocate leaves to allocateChecked (zeroing is rare and not small). */
    private static final int FAST_REJECTED_TYPE_BITS = SLOW_TYPE_BITS | PoolType.POOL_ZERO_ALLOCATION;

    /** Where {@link #allocateIn} puts a block: where the owner's and the pool's settings say, or in special pool at a page's end or start. */
    private static final int AS_SET = 0;
    private static final int SPECIAL_OVERRUN = 1;
    private static final int SPECIAL_UNDERRUN = 2;

    final PoolConfig config;
    final AddressSpace memory;
    /** {@code memory}'s pool-chunk table and chunk bits, copied here: the fast paths save a load. */
    private final PoolChunk[] poolChunks;
    private final int chunkBits;
    final PoolSpace nonPaged;
    final PoolSpace paged;
    private final PageFile pageFile;

    private final ThreadCaches caches;
    final OwnerTable owners;
    final AllocationSites sites = new AllocationSites();
    final LookasideMarks lookasideMarks = new LookasideMarks();
    /** The blocks found by address: leak reports, reclaim, lookaside marks, the debugger's views. */
    final PoolBlocks blocks = new PoolBlocks(this);

    private volatile boolean closed;

    /**
     * Test seam (issue 26), null outside tests: run by a free of a huge or special block after its header check and
     * before it marks the block freed — the window two racing frees of one block share. PoolFreeRaceTest holds
     * both frees there to test the atomic release deterministically. Set before the freeing threads start.
     */
    Runnable afterFreeCheck;

    PoolEngine(PoolConfig config) {
        this.config = config;
        this.memory = new AddressSpace(config.chunkBits());
        this.poolChunks = memory.poolChunks;
        this.chunkBits = memory.chunkBits;
        this.pageFile = new PageFile(config.dataFolder());
        this.nonPaged = new PoolSpace(0, false, SystemMemory.NON_PAGED_POOL_START, config, memory, null);
        this.paged = new PoolSpace(1, true, SystemMemory.PAGED_POOL_START, config, memory, pageFile);
        this.caches = new ThreadCaches(nonPaged, paged);
        this.owners = new OwnerTable(this, config.verifiedByDefault());
    }

    SystemMemory memory() {
        return memory;
    }

    Path pageFilePath() {
        return pageFile.path();
    }

    // ================================================================== allocate

    int allocate(OwnerState os, int poolType, long numberOfBytes, int tag) {
        ThreadCache tc = cache(os);
        int irql = tc.irql.getAsInt();
        int paged = poolType & PoolType.BASE_POOL_TYPE_MASK;
        // The slot is computed before the size is known to fit (the mask keeps any size's index in
        // range), so that the magazine's count joins the single test below.
        int slot = paged * CLASSES + SizeClasses.smallClassOf((int) numberOfBytes);
        int count = tc.counts[slot] - 1;
        // One test for everything the fast path needs; any other case takes allocateChecked, which
        // repeats the checks in NT's order. The conditions are or-ed into one word, not and-ed as
        // branches: each branch is a deoptimization point in the compiled code, and those make the
        // method too big for its callers to inline (InlineSmallCode), which costs more than the tests.
        long misfit = os.mode                                          // verified, special pool, closed
                | (Integer.toUnsignedLong(tag) ^ os.checkedTag)        // not the owner's last checked tag
                | (poolType & FAST_REJECTED_TYPE_BITS)                 // must succeed, cache aligned, zeroed
                | (((numberOfBytes - 1) | (SizeClasses.POOL_MAX_ALLOC - numberOfBytes)) >>> 63) // not 1..4080
                | ((Irql.DISPATCH_LEVEL - paged - irql) >> 31)         // above DISPATCH (APC for paged)
                | (count >> 31);                                       // an empty magazine
        if (misfit == 0) {
            int address = tc.magazines[slot][count];
            tc.counts[slot] = count;
            PoolChunk pc = poolChunks[address >>> chunkBits];
            long w1 = PoolHeader.word1(os.index, tag);
            pc.writeSmallHeader(address, PoolHeader.word0(numberOfBytes, poolType, 0), w1);
            tc.counters.allocated(TagCounters.ofWord1(w1, TagCounters.pagedKeyBit(paged)), numberOfBytes);
            return address;
        }
        return allocateChecked(tc, os, poolType, numberOfBytes, tag);
    }

    /** Everything but the fast path's usual case: an empty magazine, a first tag, a verified owner, a bug check. */
    private int allocateChecked(ThreadCache tc, OwnerState os, int poolType, long numberOfBytes, int tag) {
        if (os.revoked()) {
            throw BugCheck.callAfterUnload(os.owner, "ExAllocatePoolWithTag", 0, true);
        }
        boolean isPaged = (poolType & PoolType.BASE_POOL_TYPE_MASK) != 0;
        int irql = tc.irql.getAsInt();
        if (irql > (isPaged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL)) {
            throw PoolBugChecks.allocIrql(os.verified(), irql, poolType, numberOfBytes);
        }
        if (os.mode == 0 && Integer.toUnsignedLong(tag) == os.checkedTag && (poolType & SLOW_TYPE_BITS) == 0
                && numberOfBytes > 0 && numberOfBytes <= MAX_CACHED_BYTES) {
            PoolSpace space = isPaged ? paged : nonPaged;
            int cls = SizeClasses.classOf((int) numberOfBytes);
            int address = allocateCached(tc, space, cls, numberOfBytes, poolType, os.index, tag, 0);
            if (address == 0 && caches.reclaim(tc, space)) {
                address = allocateCached(tc, space, cls, numberOfBytes, poolType, os.index, tag, 0);
            }
            return address != 0 ? address : exhausted(poolType, numberOfBytes, tag);
        }
        return allocateSlow(tc, os, poolType, numberOfBytes, tag, isPaged ? paged : nonPaged, irql, AS_SET);
    }

    /**
     * {@code ExAllocatePoolWithTagPriority}, as NT's does it: a low- or normal-priority request that would
     * leave less than its reserve free in its pool ({@link PoolPriority#reserve}; free is the limit less
     * the pages the pool holds, as NT's {@code MmResourcesAvailable} counts) fails before anything else is
     * checked; one that asks for special pool is served there ({@link #allocateIn}); the rest is
     * {@link #allocate}. Never on the fast path's callers' way: {@link #allocate} is left as it is.
     */
    int allocatePriority(OwnerState os, int poolType, long numberOfBytes, int tag, int priority) {
        if (os.revoked()) {
            throw BugCheck.callAfterUnload(os.owner, "ExAllocatePoolWithTagPriority", 0, true);
        }
        boolean isPaged = (poolType & PoolType.BASE_POOL_TYPE_MASK) != 0;
        PoolSpace space = isPaged ? paged : nonPaged;
        long reserve = PoolPriority.reserve(priority);
        if (reserve != 0 && (poolType & PoolType.MUST_SUCCEED_POOL_MASK) == 0
                && numberOfBytes > space.limit - space.committed() - reserve) {
            return exhausted(poolType, numberOfBytes, tag);
        }
        if (!PoolPriority.wantsSpecialPool(priority)) {
            return allocate(os, poolType, numberOfBytes, tag);
        }
        ThreadCache tc = cache(os);
        int irql = tc.irql.getAsInt();
        if (irql > (isPaged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL)) {
            throw PoolBugChecks.allocIrql(os.verified(), irql, poolType, numberOfBytes);
        }
        int placement = PoolPriority.wantsUnderrunDetection(priority) ? SPECIAL_UNDERRUN : SPECIAL_OVERRUN;
        return allocateSlow(tc, os, poolType, numberOfBytes, tag, space, irql, placement);
    }

    private static void zero(PoolChunk pc, int address, long n) {
        pc.segment.asSlice(address - pc.base, n).fill((byte) 0);
    }

    /**
     * The calling thread's cache. The owner's sticky cache (the first thread that used the owner,
     * typically its {@code DriverEntry} thread) is found by comparing a thread; any other thread
     * takes the thread-local lookup. The sticky field is written only while empty or when its thread
     * has ended, so threads sharing an owner do not bounce it between them; a racy read is harmless
     * because a cache is only used once its {@code thread} (final) is the caller.
     */
    private ThreadCache cache(OwnerState os) {
        ThreadCache tc = os.stickyCache;
        if (tc != null && tc.thread == Thread.currentThread()) {
            return tc;
        }
        return cacheSlow(os);
    }

    private ThreadCache cacheSlow(OwnerState os) {
        ThreadCache tc = caches.current();
        ThreadCache sticky = os.stickyCache;
        if (sticky == null || !sticky.thread.isAlive()) {
            os.stickyCache = tc;
        }
        return tc;
    }

    private int allocateCached(ThreadCache tc, PoolSpace space, int cls, long n, int poolType, int owner, int tag,
                               int flags) {
        int slot = space.index * CLASSES + cls;
        int count = tc.counts[slot];
        int address;
        if (count != 0) {
            address = tc.magazines[slot][count - 1];
            tc.counts[slot] = count - 1;
        } else {
            address = caches.refill(tc, space, cls, slot);
            if (address == 0) {
                return 0;
            }
        }
        PoolChunk pc = (PoolChunk) memory.chunkAt(address);
        pc.writeHeader(address, PoolHeader.word0(n, poolType, flags), PoolHeader.word1(owner, tag));
        if ((poolType & PoolType.POOL_ZERO_ALLOCATION) != 0) {
            zero(pc, address, n);
        }
        tc.counters.allocated(TagCounters.key(tag, owner, space.paged), n);
        return address;
    }

    private int allocateSlow(ThreadCache tc, OwnerState os, int poolType, long n, int tag, PoolSpace space, int irql,
                             int placement) {
        ensureOpen();
        boolean verified = os.verified();
        if (n == 0) {
            throw PoolBugChecks.zeroSize(verified, irql, poolType, tag);
        }
        if ((poolType & PoolType.MUST_SUCCEED_POOL_MASK) != 0) {
            throw PoolBugChecks.mustSucceed(poolType, n, tag);
        }
        if (!isValidTag(tag)) {
            throw PoolBugChecks.badTag(poolType, n, tag);
        }
        os.checkedTag = Integer.toUnsignedLong(tag);
        if (n < 0 || n > space.limit) {
            return exhausted(poolType, n, tag); // a SIZE_T no pool can hold (a negative long reads as one)
        }
        int flags = verified ? PoolHeader.FLAG_SITE : 0;
        int address = allocateIn(tc, os, space, n, poolType, tag, flags, placement);
        if (address == 0 && caches.reclaim(tc, space)) {
            address = allocateIn(tc, os, space, n, poolType, tag, flags, placement);
        }
        if (address == 0) {
            return exhausted(poolType, n, tag);
        }
        if (verified) {
            sites.record(address);
        }
        return address;
    }

    /**
     * A block of {@code n} bytes in {@code space}, where its size, the owner's settings and {@code placement}
     * say; 0 when out of pages. Special pool asked for by the call ({@code placement}) that cannot serve
     * the block leaves it to the normal pool, as NT's optional special-pool request does.
     */
    private int allocateIn(ThreadCache tc, OwnerState os, PoolSpace space, long n, int poolType, int tag, int flags,
                           int placement) {
        boolean asked = placement != AS_SET;
        if ((asked || os.special() || owners.specialTags().matches(tag)) && n + PAGE_SIZE <= space.chunkSize) {
            int address = allocateSpecial(space, n, poolType, os.index, tag, flags, placement == SPECIAL_UNDERRUN);
            if (address != 0 || !asked) {
                return address;
            }
        }
        boolean cacheAligned = (poolType & PoolType.CACHE_ALIGNED_POOL_MASK) != 0;
        long pages = (n + PAGE_MASK) >>> PAGE_SHIFT;
        if (cacheAligned && pages <= PAGE_CLASSES) { // whole pages are cache aligned
            return allocateCached(tc, space, SizeClasses.pageClass((int) pages), n, poolType, os.index, tag, flags);
        } else if (n <= MAX_CACHED_BYTES) {
            return allocateCached(tc, space, SizeClasses.classOf((int) n), n, poolType, os.index, tag, flags);
        } else if (pages <= space.hugePages) {
            return allocateBig(space, (int) pages, n, poolType, os.index, tag, flags);
        }
        return allocateHuge(space, n, poolType, os.index, tag, flags);
    }

    private int allocateBig(PoolSpace space, int pages, long n, int poolType, int owner, int tag, int flags) {
        int address = space.allocateBig(pages);
        if (address == 0) {
            return 0;
        }
        PoolChunk pc = memory.poolChunkAt(address);
        if ((poolType & PoolType.POOL_ZERO_ALLOCATION) != 0) {
            zero(pc, address, n);
        }
        return placed(pc, address, n, poolType, owner, tag, flags);
    }

    private int allocateHuge(PoolSpace space, long n, int poolType, int owner, int tag, int flags) {
        HugeChunk hc = space.allocateHuge(n);
        if (hc == null) {
            return 0;
        }
        if ((poolType & PoolType.POOL_ZERO_ALLOCATION) != 0 && space.paged) {
            hc.segment.asSlice(0, n).fill((byte) 0); // a reused stretch of the page file holds old data
        }
        return placed(hc, hc.base, n, poolType, owner, tag, flags);
    }

    private int allocateSpecial(PoolSpace space, long n, int poolType, int owner, int tag, int flags, boolean atPageStart) {
        SpecialBlock b = space.allocateSpecial(n, atPageStart);
        return b == null ? 0 : placed(b.chunk, b.address, n, poolType, owner, tag, flags);
    }

    /** A block with pages of its own (big, huge, special) handed out: its header written, its tag counted. */
    private int placed(Chunk c, int address, long n, int poolType, int owner, int tag, int flags) {
        c.writeHeader(address, PoolHeader.word0(n, poolType, flags), PoolHeader.word1(owner, tag));
        caches.current().counters.allocated(TagCounters.key(tag, owner, c.space.paged), n);
        return address;
    }

    private static int exhausted(int poolType, long n, int tag) {
        PoolEvents.allocationFailed(poolType, n, tag);
        if ((poolType & PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE) != 0) {
            throw new NtStatusException(NtStatus.STATUS_INSUFFICIENT_RESOURCES, String.format(
                    "pool allocation (PoolType=%s, NumberOfBytes=%d, Tag='%s'): the pool cannot satisfy the request",
                    PoolType.describe(poolType), n, PoolTag.toString(tag)));
        }
        return 0;
    }

    static boolean isValidTag(int tag) {
        return (tag & ~PoolTag.PROTECTED_POOL) != 0 && !PoolTag.matches(tag, PoolBugChecks.BIG_POOL_TAG)
                && PoolTag.isPrintable(tag);
    }

    // ================================================================== free

    void free(OwnerState os, int address, int tag) {
        ThreadCache tc = cache(os);
        // The usual case, tested at once: a live unmarked small block of this owner freed with its exact
        // tag, at an IRQL its pool allows, on an open pool. Anything else takes freeChecked, NT's checks in
        // NT's order. The conditions are or-ed into words and tested once (see allocate): fewer branches,
        // a smaller method, one the caller can inline.
        PoolChunk pc = poolChunks[address >>> chunkBits];
        if (pc != null) {
            int off = address - pc.base;
            // As in allocate, conditions or-ed into one word rather than branched on one by one.
            if ((os.mode | pc.blockStartMisfit(off)) == 0) {
                int cls = pc.desc[off >>> PAGE_SHIFT] >>> PoolChunk.INFO_SHIFT;
                long w0 = pc.headerWord(off, PoolHeader.WORD0);
                long w1 = pc.headerWord(off, PoolHeader.WORD1);
                long misfit = (w1 ^ PoolHeader.word1(os.index, tag))   // another owner, another tag (or tag 0)
                        | PoolHeader.notLiveUnmarked(w0)               // free, never allocated, or marked
                        | ((pc.maxIrql - tc.irql.getAsInt()) >> 31);   // above what the pool allows
                if (misfit == 0) {
                    pc.setHeaderWord0(off, PoolHeader.freed(w0));
                    freeToMagazine(tc, pc, cls, address, w0, w1);
                    return;
                }
            } else if (pc.kind(off >>> PAGE_SHIFT) == PoolChunk.BIG && freePages(tc, os, pc, address, tag)) {
                return;
            }
        }
        freeChecked(tc, os, address, tag);
    }

    /** The fast free of a page-class block (header in the big-page table); false: take freeChecked. */
    private boolean freePages(ThreadCache tc, OwnerState os, PoolChunk pc, int address, int tag) {
        int off = address - pc.base;
        int page = off >>> PAGE_SHIFT;
        int pages = pc.desc[page] >>> PoolChunk.INFO_SHIFT;
        long w0 = pc.pageWord0(page);
        long w1 = pc.pageWord1(page);
        if (os.mode == 0 & (off & PAGE_MASK) == 0 & pages <= PAGE_CLASSES & w1 == PoolHeader.word1(os.index, tag)
                & PoolHeader.isLiveUnmarked(w0) & tc.irql.getAsInt() <= pc.maxIrql) {
            pc.setPageWord0(page, PoolHeader.freed(w0));
            freeToMagazine(tc, pc, SizeClasses.pageClass(pages), address, w0, w1);
            return true;
        }
        return false;
    }

    /**
     * The end of every free of a small or page-class block, once the checks passed and the header is
     * marked free: the block onto the thread's magazine, the free counted under the block's own key.
     */
    static void freeToMagazine(ThreadCache tc, PoolChunk pc, int cls, int address, long w0, long w1) {
        int slot = pc.slotBase + cls;
        int count = tc.counts[slot];
        int[] magazine = tc.magazines[slot];
        if (count < magazine.length) {
            magazine[count] = address;
            tc.counts[slot] = count + 1;
        } else {
            ThreadCaches.overflow(tc, pc.space, cls, slot, address);
        }
        tc.counters.freed(TagCounters.ofWord1(w1, pc.pagedKeyBit), PoolHeader.numberOfBytes(w0));
    }

    /** Every free the fast path does not take, with NT's checks in NT's order. */
    private void freeChecked(ThreadCache tc, OwnerState os, int address, int tag) {
        if (os.revoked()) {
            throw BugCheck.callAfterUnload(os.owner, "ExFreePoolWithTag", address, true);
        }
        Chunk c = memory.chunkAt(address);
        if (c instanceof PoolChunk pc && !closed) {
            int off = address - pc.base;
            int page = off >>> PAGE_SHIFT;
            int desc = pc.desc[page];
            int kind = desc & PoolChunk.KIND_MASK;
            if (kind == PoolChunk.SLAB) {
                int cls = desc >>> PoolChunk.INFO_SHIFT;
                if (SizeClasses.isBlockStart(cls, off & SLAB_MASK)) {
                    long w0 = pc.word0(address);
                    long w1 = pc.word1(address);
                    checkFree(tc, os, address, tag, w0, w1, address + (int) PoolHeader.WORD0, pc.space);
                    pc.setWord0(address, PoolHeader.freed(w0));
                    freeToMagazine(tc, pc, cls, address, w0, w1);
                    return;
                }
            } else if (kind == PoolChunk.BIG && (off & PAGE_MASK) == 0) {
                long w0 = pc.word0(address);
                long w1 = pc.word1(address);
                checkFree(tc, os, address, tag, w0, w1, address, pc.space);
                pc.setWord0(address, PoolHeader.freed(w0));
                int pages = desc >>> PoolChunk.INFO_SHIFT;
                if (pages <= PAGE_CLASSES) {
                    freeToMagazine(tc, pc, SizeClasses.pageClass(pages), address, w0, w1);
                } else {
                    pc.space.releaseBig(address);
                    countFree(pc.space, w0, w1);
                }
                return;
            }
        }
        freeSlow(tc, os, address, tag, c);
    }

    private void freeSlow(ThreadCache tc, OwnerState os, int address, int tag, Chunk c) {
        ensureOpen();
        switch (c) {
            case HugeChunk hc when address == hc.base -> freeOwnPages(tc, os, hc, address, tag, () -> hc.space.freeHuge(hc));
            case SpecialChunk sc when sc.blockAt(address) instanceof SpecialBlock b && b.address == address ->
                    freeOwnPages(tc, os, sc, address, tag, () -> sc.space.freeSpecial(b));
            case PoolChunk pc when (address & PAGE_MASK) == 0
                    && pc.kind((address - pc.base) >>> PAGE_SHIFT) == PoolChunk.FREE
                    && pc.word0(address) != 0 -> { // a released big block keeps its header words
                checkFree(tc, os, address, tag, pc.word0(address), pc.word1(address), address, pc.space); // freed: a double free
                throw new AssertionError("a released big block passed the checks at free: " + Integer.toHexString(address));
            }
            case null, default -> throw PoolBugChecks.neverAllocated(os.verified(), "ExFreePoolWithTag", address);
        }
    }

    /**
     * The free of a huge or special block, whose pages are its own: checked, marked free, then handed back by
     * {@code release}, false when another thread freed it between the check and here (a double free).
     */
    private void freeOwnPages(ThreadCache tc, OwnerState os, Chunk c, int address, int tag, BooleanSupplier release) {
        long w0 = c.word0(address);
        long w1 = c.word1(address);
        checkFree(tc, os, address, tag, w0, w1, address, c.space);
        if (afterFreeCheck != null) {
            afterFreeCheck.run();
        }
        c.setWord0(address, PoolHeader.freed(w0));
        if (!release.getAsBoolean()) {
            throw PoolBugChecks.doubleFree(os.verified(), address, address, PoolHeader.freed(w0));
        }
        countFree(c.space, w0, w1);
    }

    /** NT's checks at free, in NT's order; throws the bug check, or returns with the block's marks cleared. */
    private void checkFree(ThreadCache tc, OwnerState os, int address, int tag, long w0, long w1, int headerAddress, PoolSpace space) {
        boolean live = PoolHeader.isLive(w0);
        int irql = tc.irql.getAsInt();
        if (irql > (space.paged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL)) {
            throw PoolBugChecks.freeIrql(os.verified(), irql, live ? PoolHeader.poolType(w0) : space.index, address);
        }
        if (!live) {
            if (w0 == 0) {
                throw PoolBugChecks.neverAllocated(os.verified(), "ExFreePoolWithTag", address);
            }
            throw PoolBugChecks.doubleFree(os.verified(), address, headerAddress, w0);
        }
        int blockTag = PoolHeader.tag(w1);
        if (tag != 0 && !PoolTag.matches(tag, blockTag)) {
            throw PoolBugChecks.tagMismatch(address, blockTag, tag);
        }
        int owner = PoolHeader.owner(w1);
        if (owner != os.index) {
            throw PoolBugChecks.wrongOwner(address, blockTag, owners.ownerAt(owner), os.owner);
        }
        int flags = PoolHeader.flags(w0);
        if (flags != 0) {
            clearMarks(os.verified(), address, w0, flags);
        }
    }

    /** Clears the marks {@code flags} of a block being freed; a verified owner's live lookaside list inside it is a bug check. */
    void clearMarks(boolean verified, int address, long w0, int flags) {
        if ((flags & PoolHeader.FLAG_LOOKASIDE) != 0) {
            lookasideMarks.clearAtFree(verified, address, w0);
        }
        if ((flags & PoolHeader.FLAG_SITE) != 0) {
            sites.forget(address);
        }
    }

    void countFree(PoolSpace space, long w0, long w1) {
        caches.current().counters.freed(TagCounters.key(PoolHeader.tag(w1), PoolHeader.owner(w1), space.paged),
                PoolHeader.numberOfBytes(w0));
    }

    // ================================================================== free without checks

    /** Frees a block without any check (the host reclaiming a driver's memory). */
    void release(BlockRef b) {
        long w0 = b.word0();
        long w1 = b.word1();
        if (!PoolHeader.isLive(w0)) {
            return;
        }
        int flags = PoolHeader.flags(w0);
        if (flags != 0) {
            clearMarks(false, b.address(), w0, flags);
        }
        b.setWord0(PoolHeader.freed(w0));
        int address = b.address();
        switch (b.chunk()) {
            case PoolChunk pc -> {
                int info = pc.info((address - pc.base) >>> PAGE_SHIFT); // the class of a slab, the pages of a big block
                if (pc.headerInFront(address)) {
                    freeToMagazine(caches.current(), pc, info, address, w0, w1);
                } else if (info <= PAGE_CLASSES) {
                    freeToMagazine(caches.current(), pc, SizeClasses.pageClass(info), address, w0, w1);
                } else {
                    pc.space.releaseBig(address);
                    countFree(pc.space, w0, w1);
                }
            }
            case HugeChunk hc -> {
                if (hc.space.freeHuge(hc)) {
                    countFree(hc.space, w0, w1);
                }
            }
            case SpecialChunk sc -> {
                if (sc.space.freeSpecial(sc.blockAt(address))) {
                    countFree(sc.space, w0, w1);
                }
            }
        }
    }

    // ================================================================== accounting

    /** Counters by {@link TagCounters#key key}: {allocs, frees, bytes}, of live and ended threads. */
    Map<Long, long[]> counters() {
        return caches.counters();
    }

    List<PoolTagUsage> usage() {
        return PoolReports.usage(counters());
    }

    long bytesInUse() {
        long sum = 0;
        for (long[] t : counters().values()) {
            sum += t[2];
        }
        return sum;
    }

    // ================================================================== lifecycle

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the pool is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        owners.poolClosed();
        try {
            nonPaged.close();
            paged.close();
        } finally {
            pageFile.close();
        }
    }
}
