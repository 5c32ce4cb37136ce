package dev.ringzero.pool;

import static dev.ringzero.pool.SizeClasses.CLASSES;
import static dev.ringzero.pool.SizeClasses.MAX_CACHED_BYTES;
import static dev.ringzero.pool.SizeClasses.PAGE_CLASSES;
import static dev.ringzero.pool.SizeClasses.PAGE_MASK;
import static dev.ringzero.pool.SizeClasses.PAGE_SHIFT;
import static dev.ringzero.pool.SizeClasses.PAGE_SIZE;
import static dev.ringzero.pool.SizeClasses.SLAB_MASK;
import static dev.ringzero.pool.SizeClasses.SLAB_PAGES;
import static dev.ringzero.pool.SizeClasses.SLOTS;
import static dev.ringzero.pool.SizeClasses.STRIDE;

import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolBlockInfo;
import dev.ringzero.api.memory.PoolPriority;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolTagUsage;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;

/**
 * The executive pool: {@code ExAllocatePoolWithTag} / {@code ExFreePoolWithTag} over the 32-bit
 * system address space.
 *
 * <h2>What it mirrors</h2>
 * NT's pool hands out blocks from two pools (non-paged, paged), each block preceded by a
 * {@code POOL_HEADER} that records its size, pool type (stored as type + 1, 0 meaning free) and tag.
 * Requests up to {@code POOL_MAX_ALLOC} (4080 bytes on x86: a page less one header and one block
 * unit) are small blocks carved from pool pages; larger ones take whole pages, page aligned, their
 * headers kept in a side "big page table". Small blocks are served first from per-processor, then
 * global lookaside lists, so the common allocation and free touch no pool lock. A tracker table
 * counts allocations, frees and bytes per tag and pool ({@code !poolused}, PoolMon). Misuse is a
 * {@code BAD_POOL_CALLER} (0xC2) bug check, or {@code DRIVER_VERIFIER_DETECTED_VIOLATION} (0xC4) for
 * a verified driver; the verifier's special pool gives each block its own pages so that an overrun or
 * a use after free faults at the access.
 *
 * <h2>How this one works</h2>
 * <b>Addresses.</b> Each pool spans a gigabyte of system addresses ({@link AddressSpace}), reserved a
 * chunk (4 MiB by default) at a time as blocks need it: anonymous memory for non-paged pool, a
 * window of this pool's own sparse page file for paged pool ({@link PageFile}). Chunk memory is page
 * aligned natively, so an address that is 8-aligned in system terms is 8-aligned in native terms and
 * the S-lists' 64-bit CAS works on it.
 *
 * <p><b>Size classes</b> ({@link SizeClasses}). A request of 1..4080 bytes falls into one of 32
 * small classes (16-byte steps to 256, then four per doubling). A small class owns 64 KiB slabs laid
 * out as {@code [POOL_HEADER][block]...}: blocks are 16-aligned and the header sits right before the
 * block, as in NT ({@link PoolHeader}). 4081 bytes to 64 KiB are page classes (1..16 whole pages,
 * page aligned, header in the chunk's big-page table); larger requests are uncached page runs, and
 * from a quarter of a chunk up, huge blocks with their own mapping ({@link HugeChunk}).
 *
 * <p><b>The fast path</b> plays the part of NT's per-processor lookaside lists. Each thread has a
 * magazine of free blocks per pool and class ({@link ThreadCache}); an allocation pops one, writes
 * the two header words and counts the tag; a free checks the header, clears its type and pushes the
 * block back. Neither takes a lock or executes a locked instruction. The thread's cache is found by
 * comparing one thread reference for the owner's usual thread (a thread-local lookup for any other
 * thread), the IRQL is read through the cache without a second lookup ({@link Irql#threadLevel()}), and
 * the rest is a handful of array accesses, two header words (through {@link PoolChunk#ALL}) and two counters.
 *
 * <p>The fast path is shaped for C2, which decides most of its cost by whether the caller can inline
 * it. {@link #allocate} (small blocks only) and {@link #free} (small and page-class blocks) test all
 * their conditions at once: each condition is turned into bits and or-ed into one word ({@code misfit}),
 * tested by one branch, since every branch that profiling never sees taken becomes a deoptimization
 * point whose spill code makes the compiled method bigger, and a method whose compiled code exceeds
 * {@code InlineSmallCode} (2500 bytes) is called, not inlined. Anything unusual (a first tag, an
 * empty or full magazine, a page-class or zeroed allocation, a verified owner, a closed pool, any
 * misuse) takes {@code allocateChecked} / {@code freeChecked}, out of line, which run NT's checks in
 * NT's order; the fast test only decides that none of them can fail. The pool's closed state is
 * folded into the owner's volatile {@link OwnerState#mode}, so one volatile read covers both.
 *
 * <p>A magazine that runs dry takes half a magazine from the class's {@link Depot} (a lock per class), which carves
 * a new slab when it is empty ({@link PoolSpace}, a lock per pool); one that overflows gives half back.
 * Blocks in magazines and depots are free: the tag counters and {@link #bytesInUse()} never count
 * them, although their pages stay committed to their class (page-class blocks beyond what a depot
 * should keep go back to the pages; slabs go back when the pool runs out of pages and all their blocks
 * are free, see {@link #reclaim}).
 *
 * <p><b>Checks at free</b>, in NT's order: the address must be the start of a block we handed out
 * (for a small block, one bit of its chunk's block-start bitmap; else 0xC2/0x46, or 0xC4/0x10
 * verified); the IRQL must allow the pool (0x09 / 0x11, 0x12); the header
 * must be live (a zeroed header was never allocated: 0x46; a freed one is a double free: 0x07 / 0x14);
 * a non-zero tag must match (0x0A); the block must be the caller's (0x0D, our owner check); a block
 * marked as holding a live lookaside list is 0xC4/0xCC under the verifier, else the mark is cleared.
 * A check that fails leaves the block exactly as it was. Header reads and writes are plain: the
 * address reaches the freeing thread through the driver's own synchronization. Two threads freeing
 * the same block at the same instant are not told apart reliably (NT corrupts its pool then too);
 * one after the other, the second is a double free.
 *
 * <p><b>Accounting</b> is per thread ({@link TagCounters}): no shared counter is written on the fast
 * path, and {@link #usage()} sums the threads' tables (exact once the threads are quiescent). Blocks
 * and counters of threads that ended are folded back by {@link #reapDeadThreads()}.
 *
 * <p><b>Verified owners</b> take the slow path: the 0xC4 codes, and the caller's frame recorded
 * (through {@link StackWalker}) for the leak report. <b>Special pool</b> (per owner) gives each block
 * its own arena, closed at free ({@link SpecialBlock}).
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

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    final PoolConfig config;
    final AddressSpace memory;
    /** {@code memory}'s pool-chunk table and chunk bits, copied here: the fast paths save a load. */
    private final PoolChunk[] poolChunks;
    private final int chunkBits;
    final PoolSpace nonPaged;
    final PoolSpace paged;
    private final PageFile pageFile;

    private final ThreadLocal<ThreadCache> caches = ThreadLocal.withInitial(this::newThreadCache);
    /** Every live thread's cache (guarded by itself), and the totals of threads that ended (same lock). */
    private final List<ThreadCache> threadCaches = new ArrayList<>();
    private final Map<Long, long[]> retired = new HashMap<>();

    private final Object ownersLock = new Object();
    private final Map<Owner, OwnerState> owners = new ConcurrentHashMap<>();
    /** Copy-on-write, index = owner index; written under {@link #ownersLock}. */
    private volatile OwnerState[] ownersByIndex = new OwnerState[16];
    private int nextOwnerIndex = 1;
    private boolean verifiedByDefault;
    /** The verifier's special pool by tag (any owner); replaced under {@link #ownersLock}. */
    private volatile SpecialPoolTags specialTags = SpecialPoolTags.NONE;

    /** Allocation sites of verified owners' blocks, by block address (header flag SITE). */
    private final Map<Integer, StackTraceElement> sites = new ConcurrentHashMap<>();
    /** Live lookaside lists inside blocks, by block address (header flag LOOKASIDE). */
    private final Map<Integer, NavigableSet<Integer>> lookasides = new ConcurrentHashMap<>();

    private volatile boolean closed;

    PoolEngine(PoolConfig config) {
        this.config = config;
        this.memory = new AddressSpace(config.chunkBits());
        this.poolChunks = memory.poolChunks;
        this.chunkBits = memory.chunkBits;
        this.pageFile = new PageFile(config.dataFolder());
        this.nonPaged = new PoolSpace(0, false, SystemMemory.NON_PAGED_POOL_START, config, memory, null);
        this.paged = new PoolSpace(1, true, SystemMemory.PAGED_POOL_START, config, memory, pageFile);
        this.verifiedByDefault = config.verifiedByDefault();
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
            if (address == 0 && reclaim(tc, space)) {
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
        ThreadCache tc = caches.get();
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
            address = refill(tc, space, cls, slot);
            if (address == 0) {
                return 0;
            }
        }
        PoolChunk pc = (PoolChunk) memory.chunkAt(address);
        pc.writeHeader(address, SizeClasses.isSmall(cls), PoolHeader.word0(n, poolType, flags), PoolHeader.word1(owner, tag));
        if ((poolType & PoolType.POOL_ZERO_ALLOCATION) != 0) {
            zero(pc, address, n);
        }
        tc.counters.allocated(TagCounters.key(tag, owner, space.paged), n);
        return address;
    }

    private int refill(ThreadCache tc, PoolSpace space, int cls, int slot) {
        int[] magazine = tc.magazine(slot);
        int want = Math.max(1, magazine.length / 2);
        int n = space.depots[cls].take(magazine, 0, want);
        if (n == 0) {
            n = space.carve(cls, magazine, 0, want);
        }
        if (n == 0 && reapDeadThreads() > 0) { // ended threads may hold blocks of this class
            n = space.depots[cls].take(magazine, 0, want);
        }
        if (n == 0) {
            return 0;
        }
        tc.counts[slot] = n - 1;
        return magazine[n - 1];
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
        if (address == 0 && reclaim(tc, space)) {
            address = allocateIn(tc, os, space, n, poolType, tag, flags, placement);
        }
        if (address == 0) {
            return exhausted(poolType, n, tag);
        }
        if (verified) {
            StackTraceElement site = callerSite();
            if (site != null) {
                sites.put(address, site);
            }
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
        if ((asked || os.special() || specialTags.matches(tag)) && n + PAGE_SIZE <= space.chunkSize) {
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

    /**
     * Called when {@code space} is out of pages: gives ended threads' and the calling thread's free
     * blocks back to the depots, then returns to the pages every slab whose blocks are all free and the
     * depots' page blocks ({@link PoolSpace#reclaimFreePages}). Slab pages are otherwise kept by their
     * size class, so without this a pool filled with one size and emptied could not serve another. True
     * when pages came back, so a retry can succeed.
     */
    private boolean reclaim(ThreadCache tc, PoolSpace space) {
        reapDeadThreads();
        giveBack(tc, space);
        return space.reclaimFreePages() > 0;
    }

    /** Moves every block in {@code tc}'s magazines of {@code space} to the depots. */
    private static void giveBack(ThreadCache tc, PoolSpace space) {
        for (int cls = 0; cls < CLASSES; cls++) {
            int slot = space.index * CLASSES + cls;
            if (tc.counts[slot] > 0) {
                space.depots[cls].give(tc.magazines[slot], 0, tc.counts[slot]);
                tc.counts[slot] = 0;
                if (!SizeClasses.isSmall(cls)) {
                    space.trimDepot(cls);
                }
            }
        }
    }

    private int allocateBig(PoolSpace space, int pages, long n, int poolType, int owner, int tag, int flags) {
        int address = space.allocateBig(pages);
        if (address == 0) {
            return 0;
        }
        PoolChunk pc = (PoolChunk) memory.chunkAt(address);
        int page = (address - pc.base) >>> PAGE_SHIFT;
        pc.word1[page] = PoolHeader.word1(owner, tag);
        pc.word0[page] = PoolHeader.word0(n, poolType, flags);
        if ((poolType & PoolType.POOL_ZERO_ALLOCATION) != 0) {
            pc.segment.asSlice(address - pc.base, n).fill((byte) 0);
        }
        caches.get().counters.allocated(TagCounters.key(tag, owner, space.paged), n);
        return address;
    }

    private int allocateHuge(PoolSpace space, long n, int poolType, int owner, int tag, int flags) {
        HugeChunk hc = space.allocateHuge(n);
        if (hc == null) {
            return 0;
        }
        hc.word1 = PoolHeader.word1(owner, tag);
        hc.word0 = PoolHeader.word0(n, poolType, flags);
        if ((poolType & PoolType.POOL_ZERO_ALLOCATION) != 0 && space.paged) {
            hc.segment.asSlice(0, n).fill((byte) 0); // a reused stretch of the page file holds old data
        }
        caches.get().counters.allocated(TagCounters.key(tag, owner, space.paged), n);
        return hc.base;
    }

    private int allocateSpecial(PoolSpace space, long n, int poolType, int owner, int tag, int flags, boolean atPageStart) {
        SpecialBlock b = space.allocateSpecial(n, atPageStart);
        if (b == null) {
            return 0;
        }
        b.word1 = PoolHeader.word1(owner, tag);
        b.word0 = PoolHeader.word0(n, poolType, flags);
        caches.get().counters.allocated(TagCounters.key(tag, owner, space.paged), n);
        return b.address;
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

    private static StackTraceElement callerSite() {
        return WALKER.walk(frames -> frames.filter(f -> !isPoolFrame(f.getDeclaringClass()))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    /** Frames the leak report skips: the pool's own, the API's default methods, a lookaside list's. */
    private static boolean isPoolFrame(Class<?> c) {
        if (c == PoolView.class || c == PoolEngine.class || c == PoolSpace.class || c == ExecutivePoolComponent.class) {
            return true;
        }
        String p = c.getPackageName();
        return p.equals("dev.ringzero.api") || p.startsWith("dev.ringzero.api.") || p.equals("dev.ringzero.lookaside")
                || p.startsWith("dev.ringzero.lookaside.");
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
        long w0 = pc.word0[page];
        long w1 = pc.word1[page];
        if (os.mode == 0 & (off & PAGE_MASK) == 0 & pages <= PAGE_CLASSES & w1 == PoolHeader.word1(os.index, tag)
                & PoolHeader.isLiveUnmarked(w0) & tc.irql.getAsInt() <= pc.maxIrql) {
            pc.word0[page] = PoolHeader.freed(w0);
            freeToMagazine(tc, pc, SizeClasses.pageClass(pages), address, w0, w1);
            return true;
        }
        return false;
    }

    /**
     * The end of every free of a small or page-class block, once the checks passed and the header is
     * marked free: the block onto the thread's magazine, the free counted under the block's own key.
     */
    private static void freeToMagazine(ThreadCache tc, PoolChunk pc, int cls, int address, long w0, long w1) {
        int slot = pc.slotBase + cls;
        int count = tc.counts[slot];
        int[] magazine = tc.magazines[slot];
        if (count < magazine.length) {
            magazine[count] = address;
            tc.counts[slot] = count + 1;
        } else {
            overflow(tc, pc.space, cls, slot, address);
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
                    long w0 = pc.segment.get(PoolHeader.WORD, off + PoolHeader.WORD0);
                    long w1 = pc.segment.get(PoolHeader.WORD, off + PoolHeader.WORD1);
                    checkFree(tc, os, address, tag, w0, w1, address + (int) PoolHeader.WORD0, pc.space);
                    pc.segment.set(PoolHeader.WORD, off + PoolHeader.WORD0, PoolHeader.freed(w0));
                    freeToMagazine(tc, pc, cls, address, w0, w1);
                    return;
                }
            } else if (kind == PoolChunk.BIG && (off & PAGE_MASK) == 0) {
                long w0 = pc.word0[page];
                long w1 = pc.word1[page];
                checkFree(tc, os, address, tag, w0, w1, address, pc.space);
                pc.word0[page] = PoolHeader.freed(w0);
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
            case HugeChunk hc when address == hc.base -> {
                long w0 = hc.word0;
                checkFree(tc, os, address, tag, w0, hc.word1, address, hc.space);
                hc.word0 = PoolHeader.freed(w0);
                if (!hc.space.freeHuge(hc)) { // another thread freed it between our check and here
                    throw PoolBugChecks.doubleFree(os.verified(), address, address, PoolHeader.freed(w0));
                }
                countFree(hc.space, w0, hc.word1);
            }
            case SpecialChunk sc -> {
                SpecialBlock b = sc.blocks[(address - sc.base) >>> PAGE_SHIFT];
                if (b == null || b.address != address) {
                    throw PoolBugChecks.neverAllocated(os.verified(), "ExFreePoolWithTag", address);
                }
                long w0 = b.word0;
                checkFree(tc, os, address, tag, w0, b.word1, address, sc.space);
                b.word0 = PoolHeader.freed(w0);
                if (!sc.space.freeSpecial(b)) { // as for a huge block: the verifier catches a racing double free too
                    throw PoolBugChecks.doubleFree(os.verified(), address, address, PoolHeader.freed(w0));
                }
                countFree(sc.space, w0, b.word1);
            }
            case PoolChunk pc when (address & PAGE_MASK) == 0
                    && pc.kind((address - pc.base) >>> PAGE_SHIFT) == PoolChunk.FREE
                    && pc.word0[(address - pc.base) >>> PAGE_SHIFT] != 0 -> {
                int page = (address - pc.base) >>> PAGE_SHIFT;
                checkFree(tc, os, address, tag, pc.word0[page], pc.word1[page], address, pc.space); // freed: a double free
                throw new AssertionError("a released big block passed the checks at free: " + Integer.toHexString(address));
            }
            case null, default -> throw PoolBugChecks.neverAllocated(os.verified(), "ExFreePoolWithTag", address);
        }
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
            throw PoolBugChecks.wrongOwner(address, blockTag, ownerAt(owner), os.owner);
        }
        int flags = PoolHeader.flags(w0);
        if (flags != 0) {
            clearMarks(os.verified(), address, w0, flags);
        }
    }

    private void clearMarks(boolean verified, int address, long w0, int flags) {
        if ((flags & PoolHeader.FLAG_LOOKASIDE) != 0) {
            NavigableSet<Integer> lists = lookasides.get(address);
            if (verified && lists != null && !lists.isEmpty()) {
                throw PoolBugChecks.lookasideFreed(lists.first(), address, PoolHeader.numberOfBytes(w0));
            }
            lookasides.remove(address);
        }
        if ((flags & PoolHeader.FLAG_SITE) != 0) {
            sites.remove(address);
        }
    }

    private static void overflow(ThreadCache tc, PoolSpace space, int cls, int slot, int address) {
        int[] magazine = tc.magazine(slot);
        int count = tc.counts[slot];
        if (count == magazine.length) {
            int half = magazine.length / 2;
            space.depots[cls].give(magazine, count - half, half);
            count -= half;
            if (!SizeClasses.isSmall(cls)) {
                space.trimDepot(cls);
            }
        }
        magazine[count] = address;
        tc.counts[slot] = count + 1;
    }

    private void countFree(PoolSpace space, long w0, long w1) {
        caches.get().counters.freed(TagCounters.key(PoolHeader.tag(w1), PoolHeader.owner(w1), space.paged),
                PoolHeader.numberOfBytes(w0));
    }

    // ================================================================== blocks by address (slow paths)

    /** A block found by address, for the slow paths; its header words wherever they live. */
    static final class BlockRef {
        static final int SMALL = 0;
        static final int PAGES = 1;
        static final int HUGE = 2;
        static final int SPECIAL = 3;

        final int kind;
        final Chunk chunk;
        final int address;
        final SpecialBlock special;

        BlockRef(int kind, Chunk chunk, int address, SpecialBlock special) {
            this.kind = kind;
            this.chunk = chunk;
            this.address = address;
            this.special = special;
        }

        long word0() {
            return switch (kind) {
                case SMALL -> ((PoolChunk) chunk).segment.get(PoolHeader.WORD, address - chunk.base + PoolHeader.WORD0);
                case PAGES -> ((PoolChunk) chunk).word0[(address - chunk.base) >>> PAGE_SHIFT];
                case HUGE -> ((HugeChunk) chunk).word0;
                default -> special.word0;
            };
        }

        long word1() {
            return switch (kind) {
                case SMALL -> ((PoolChunk) chunk).segment.get(PoolHeader.WORD, address - chunk.base + PoolHeader.WORD1);
                case PAGES -> ((PoolChunk) chunk).word1[(address - chunk.base) >>> PAGE_SHIFT];
                case HUGE -> ((HugeChunk) chunk).word1;
                default -> special.word1;
            };
        }

        void setWord0(long w0) {
            switch (kind) {
                case SMALL -> ((PoolChunk) chunk).segment.set(PoolHeader.WORD, address - chunk.base + PoolHeader.WORD0, w0);
                case PAGES -> ((PoolChunk) chunk).word0[(address - chunk.base) >>> PAGE_SHIFT] = w0;
                case HUGE -> ((HugeChunk) chunk).word0 = w0;
                default -> special.word0 = w0;
            }
        }

        /** What {@code ExQueryPoolBlockSize} reports: the bytes asked for, or whole pages for a page-aligned block. */
        long blockSize() {
            long n = PoolHeader.numberOfBytes(word0());
            return kind == PAGES || kind == HUGE ? (n + PAGE_MASK) & -PAGE_SIZE : n;
        }
    }

    /** The live block holding {@code address} (anywhere inside it), or null. */
    BlockRef find(int address) {
        Chunk c = memory.chunkAt(address);
        switch (c) {
            case PoolChunk pc -> {
                if (pc.locate(address) < 0) {
                    return null;
                }
                int off = address - pc.base;
                int page = off >>> PAGE_SHIFT;
                if (pc.kind(page) == PoolChunk.SLAB) {
                    int cls = pc.info(page);
                    int inSlab = off & SLAB_MASK;
                    int slot = SizeClasses.slotOf(cls, inSlab);
                    return new BlockRef(BlockRef.SMALL, pc, address - inSlab + slot * STRIDE[cls] + PoolHeader.SIZE, null);
                }
                int head = pc.kind(page) == PoolChunk.BIG ? page : pc.info(page);
                return new BlockRef(BlockRef.PAGES, pc, pc.base + (head << PAGE_SHIFT), null);
            }
            case HugeChunk hc -> {
                boolean in = !hc.freed && PoolHeader.isLive(hc.word0)
                        && Integer.toUnsignedLong(address - hc.base) < PoolHeader.numberOfBytes(hc.word0);
                return in ? new BlockRef(BlockRef.HUGE, hc, hc.base, null) : null;
            }
            case SpecialChunk sc -> {
                SpecialBlock b = sc.blocks[(address - sc.base) >>> PAGE_SHIFT];
                boolean in = b != null && !b.freed && Integer.toUnsignedLong(address - b.address) < b.size();
                return in ? new BlockRef(BlockRef.SPECIAL, sc, b.address, b) : null;
            }
            case null -> {
                return null;
            }
        }
    }

    long queryBlockSize(int address) {
        BlockRef b = find(address);
        if (b == null) {
            throw AddressSpace.fault(address, 0, String.format("ExQueryPoolBlockSize(PoolBlock=%08X): not in a live block",
                    address));
        }
        return b.blockSize();
    }

    /** Every live block, optionally only one owner's (a scan of the headers; for leak reports and reclaim). */
    void forEachLive(int ownerIndex, Consumer<BlockRef> sink) {
        for (PoolSpace space : List.of(nonPaged, paged)) {
            for (Chunk c : space.chunks()) {
                switch (c) {
                    case PoolChunk pc -> scan(pc, ownerIndex, sink);
                    case HugeChunk hc -> {
                        if (!hc.freed && PoolHeader.isLive(hc.word0) && matches(hc.word1, ownerIndex)) {
                            sink.accept(new BlockRef(BlockRef.HUGE, hc, hc.base, null));
                        }
                    }
                    case SpecialChunk sc -> {
                        for (int p = 0; p < sc.pages; p++) {
                            SpecialBlock b = sc.blocks[p];
                            if (b != null && !b.freed && (b.address - sc.base) >>> PAGE_SHIFT == p
                                    && PoolHeader.isLive(b.word0) && matches(b.word1, ownerIndex)) {
                                sink.accept(new BlockRef(BlockRef.SPECIAL, sc, b.address, b));
                            }
                        }
                    }
                }
            }
        }
    }

    private static void scan(PoolChunk pc, int ownerIndex, Consumer<BlockRef> sink) {
        for (int page = 0; page < pc.pages; page++) {
            int kind = pc.kind(page);
            if (kind == PoolChunk.SLAB && page % SLAB_PAGES == 0) {
                int cls = pc.info(page);
                int slab = page << PAGE_SHIFT;
                for (int slot = 0; slot < SLOTS[cls]; slot++) {
                    int header = slab + slot * STRIDE[cls];
                    long w0 = pc.segment.get(PoolHeader.WORD, header);
                    if (PoolHeader.isLive(w0) && matches(pc.segment.get(PoolHeader.WORD, header + (PoolHeader.WORD1 - PoolHeader.WORD0)), ownerIndex)) {
                        sink.accept(new BlockRef(BlockRef.SMALL, pc, pc.base + header + PoolHeader.SIZE, null));
                    }
                }
            } else if (kind == PoolChunk.BIG && PoolHeader.isLive(pc.word0[page]) && matches(pc.word1[page], ownerIndex)) {
                sink.accept(new BlockRef(BlockRef.PAGES, pc, pc.base + (page << PAGE_SHIFT), null));
            }
        }
    }

    private static boolean matches(long w1, int ownerIndex) {
        return ownerIndex == 0 || PoolHeader.owner(w1) == ownerIndex;
    }

    PoolBlockInfo info(BlockRef b) {
        long w0 = b.word0();
        long w1 = b.word1();
        return new PoolBlockInfo(b.address, PoolHeader.numberOfBytes(w0), PoolHeader.tag(w1), PoolHeader.poolType(w0),
                ownerAt(PoolHeader.owner(w1)), sites.get(b.address));
    }

    /** The 16 header bytes before a small block, read-only; null for a block without an in-memory header. */
    MemorySegment poolHeader(int address) {
        BlockRef b = find(address);
        if (b == null || b.kind != BlockRef.SMALL || b.address != address) {
            return null;
        }
        PoolChunk pc = (PoolChunk) b.chunk;
        return pc.segment.asSlice(address - pc.base - PoolHeader.SIZE, PoolHeader.SIZE).asReadOnly();
    }

    /** Frees a block without any check (the host reclaiming a driver's memory). */
    private void release(BlockRef b) {
        long w0 = b.word0();
        long w1 = b.word1();
        if (!PoolHeader.isLive(w0)) {
            return;
        }
        int flags = PoolHeader.flags(w0);
        if (flags != 0) {
            clearMarks(false, b.address, w0, flags);
        }
        b.setWord0(PoolHeader.freed(w0));
        switch (b.kind) {
            case BlockRef.SMALL -> {
                PoolChunk pc = (PoolChunk) b.chunk;
                freeToMagazine(caches.get(), pc, pc.info((b.address - pc.base) >>> PAGE_SHIFT), b.address, w0, w1);
            }
            case BlockRef.PAGES -> {
                PoolChunk pc = (PoolChunk) b.chunk;
                int pages = pc.info((b.address - pc.base) >>> PAGE_SHIFT);
                if (pages <= PAGE_CLASSES) {
                    freeToMagazine(caches.get(), pc, SizeClasses.pageClass(pages), b.address, w0, w1);
                } else {
                    pc.space.releaseBig(b.address);
                    countFree(pc.space, w0, w1);
                }
            }
            case BlockRef.HUGE -> {
                if (b.chunk.space.freeHuge((HugeChunk) b.chunk)) {
                    countFree(b.chunk.space, w0, w1);
                }
            }
            default -> {
                if (b.chunk.space.freeSpecial(b.special)) {
                    countFree(b.chunk.space, w0, w1);
                }
            }
        }
    }

    // ================================================================== ExecutivePool services

    List<PoolBlockInfo> outstanding(Owner owner) {
        OwnerState os = owners.get(owner);
        if (os == null) {
            return List.of();
        }
        List<PoolBlockInfo> out = new ArrayList<>();
        forEachLive(os.index, b -> out.add(info(b)));
        out.sort(Comparator.comparingLong(i -> Integer.toUnsignedLong(i.address())));
        return out;
    }

    int reclaim(Owner owner) {
        ensureOpen();
        OwnerState os = owners.get(owner);
        if (os == null) {
            return 0;
        }
        List<BlockRef> blocks = new ArrayList<>();
        forEachLive(os.index, blocks::add);
        for (BlockRef b : blocks) {
            release(b);
        }
        return blocks.size();
    }

    void revoke(Owner owner) {
        OwnerState s = state(owner);
        synchronized (ownersLock) {
            s.revoke();
        }
    }

    void setLookasideMark(int address, boolean live) {
        BlockRef b = find(address);
        if (b == null) {
            throw AddressSpace.fault(address, 1, String.format(
                    "setLookasideMark(address=%08X, live=%b): not in a live block", address, live));
        }
        synchronized (lookasides) {
            long w0 = b.word0();
            if (live) {
                lookasides.computeIfAbsent(b.address, k -> new ConcurrentSkipListSet<>()).add(address);
                b.setWord0(PoolHeader.withFlags(w0, PoolHeader.flags(w0) | PoolHeader.FLAG_LOOKASIDE));
            } else {
                NavigableSet<Integer> lists = lookasides.get(b.address);
                if (lists != null) {
                    lists.remove(address);
                    if (lists.isEmpty()) {
                        lookasides.remove(b.address);
                        b.setWord0(PoolHeader.withFlags(w0, PoolHeader.flags(w0) & ~PoolHeader.FLAG_LOOKASIDE));
                    }
                }
            }
        }
    }

    boolean hasLookasideMark(int address) {
        BlockRef b = find(address);
        return b != null && (PoolHeader.flags(b.word0()) & PoolHeader.FLAG_LOOKASIDE) != 0;
    }

    // ================================================================== owners

    OwnerState state(Owner owner) {
        OwnerState s = owners.get(owner);
        if (s != null) {
            return s;
        }
        synchronized (ownersLock) {
            s = owners.get(owner);
            if (s == null) {
                int index = nextOwnerIndex++;
                s = new OwnerState(index, owner, this);
                refreshMode(s, null, null);
                if (closed) { // close() marks the owners it finds under this lock; this one came later
                    s.poolClosed();
                }
                OwnerState[] table = ownersByIndex;
                if (index >= table.length) {
                    table = Arrays.copyOf(table, table.length * 2);
                } else {
                    table = table.clone();
                }
                table[index] = s;
                ownersByIndex = table;
                owners.put(owner, s);
            }
            return s;
        }
    }

    Owner ownerAt(int index) {
        OwnerState[] table = ownersByIndex;
        OwnerState s = index > 0 && index < table.length ? table[index] : null;
        return s != null ? s.owner : new Owner("<owner " + index + ">", index);
    }

    void setVerified(Owner owner, boolean verified) {
        OwnerState s = state(owner);
        synchronized (ownersLock) {
            refreshMode(s, verified, null);
        }
    }

    void setVerifiedByDefault(boolean verified) {
        synchronized (ownersLock) {
            verifiedByDefault = verified;
            for (OwnerState s : owners.values()) {
                refreshMode(s, null, null);
            }
        }
    }

    void setSpecialPool(Owner owner, boolean special) {
        OwnerState s = state(owner);
        synchronized (ownersLock) {
            refreshMode(s, null, special);
        }
    }

    void setSpecialPoolTag(String pattern, boolean special) {
        SpecialPoolTags.Pattern p = SpecialPoolTags.parse(pattern);
        synchronized (ownersLock) {
            specialTags = special ? specialTags.with(p) : specialTags.without(p);
            for (OwnerState s : owners.values()) {
                refreshMode(s, null, null);
            }
        }
    }

    /** Applies an owner's new settings (null: unchanged) and the pool-wide ones to its mode; under {@link #ownersLock}. */
    private void refreshMode(OwnerState s, Boolean verified, Boolean special) {
        s.update(verified, special, verifiedByDefault, !specialTags.isEmpty());
    }

    List<String> specialPoolTags() {
        return specialTags.texts();
    }

    // ================================================================== accounting

    private ThreadCache newThreadCache() {
        ThreadCache tc = new ThreadCache(Thread.currentThread());
        boolean reap;
        synchronized (threadCaches) {
            threadCaches.add(tc);
            reap = threadCaches.size() % 64 == 0; // many short-lived threads: fold the ended ones back now and then
        }
        if (reap) {
            reapDeadThreads();
        }
        return tc;
    }

    /**
     * Folds the caches of threads that have ended back into the pool: their magazines into the
     * depots, their counters into the retired totals. Returns how many threads were reaped.
     */
    int reapDeadThreads() {
        List<ThreadCache> dead = new ArrayList<>();
        synchronized (threadCaches) {
            for (Iterator<ThreadCache> it = threadCaches.iterator(); it.hasNext(); ) {
                ThreadCache tc = it.next();
                if (!tc.thread.isAlive()) {
                    it.remove();
                    dead.add(tc);
                    tc.counters.forEach(row -> addRow(retired, row));
                }
            }
        }
        for (ThreadCache tc : dead) {
            giveBack(tc, nonPaged);
            giveBack(tc, paged);
        }
        return dead.size();
    }

    private static void addRow(Map<Long, long[]> totals, TagCounters.Row row) {
        long[] t = totals.computeIfAbsent(row.key(), k -> new long[3]);
        t[0] += row.allocs();
        t[1] += row.frees();
        t[2] += row.bytes();
    }

    /** Counters by {@link TagCounters#key key}: {allocs, frees, bytes}. */
    Map<Long, long[]> counters() {
        reapDeadThreads();
        Map<Long, long[]> totals = new HashMap<>();
        synchronized (threadCaches) {
            for (Map.Entry<Long, long[]> e : retired.entrySet()) {
                totals.put(e.getKey(), e.getValue().clone());
            }
            for (ThreadCache tc : threadCaches) {
                tc.counters.forEach(row -> addRow(totals, row));
            }
        }
        return totals;
    }

    List<PoolTagUsage> usage() {
        Map<Long, long[]> byTag = new TreeMap<>();
        counters().forEach((key, t) -> {
            long tagKey = (TagCounters.pagedOf(key) ? 1L << 32 : 0) | TagCounters.tagOf(key);
            long[] sum = byTag.computeIfAbsent(tagKey, k -> new long[3]);
            sum[0] += t[0];
            sum[1] += t[1];
            sum[2] += t[2];
        });
        List<PoolTagUsage> out = new ArrayList<>();
        byTag.forEach((k, t) -> out.add(new PoolTagUsage((int) (long) k, (k >>> 32) != 0, t[0], t[1], t[2])));
        out.sort(Comparator.comparing(PoolTagUsage::tagName).thenComparing(PoolTagUsage::paged));
        return out;
    }

    long bytesInUse() {
        long sum = 0;
        for (long[] t : counters().values()) {
            sum += t[2];
        }
        return sum;
    }

    // ================================================================== lifecycle

    private void ensureOpen() {
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
        synchronized (ownersLock) {
            for (OwnerState s : owners.values()) {
                s.poolClosed();
            }
        }
        try {
            nonPaged.close();
            paged.close();
        } finally {
            pageFile.close();
        }
    }
}
