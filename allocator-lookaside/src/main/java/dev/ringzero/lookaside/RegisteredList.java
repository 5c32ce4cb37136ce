package dev.ringzero.lookaside;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.AllocateFunctionEx;
import dev.ringzero.api.lookaside.FreeFunctionEx;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import java.lang.foreign.MemorySegment;

/**
 * One live lookaside list as the {@linkplain LookasideSystem registry} and the balance-set manager see
 * it, whatever implementation serves it: the handle that {@code ExInitialize...} registers against the
 * header's address. It holds what cannot live in memory — the Allocate / Free routines, the owner, the
 * implementation that made it and that implementation's {@link LookasideCache} for it — and the header
 * segment, resolved once.
 *
 * <p>The same class for every implementation: the executive's part of a list (liveness, the routines, the
 * flush of {@code ListHead}, the snapshot {@code !lookaside} reads) is written once, here; the caching policy is
 * the cache's, reached through the SPI ({@link LookasideListHandle} is what the cache sees of this object).
 * Every implementation keeps NT's header in the caller's memory ({@link LookasideHeader}) and makes its counters
 * meaningful there by the time {@link #fold()} returns, so the tuner and {@code !lookaside} read one format.
 */
final class RegisteredList implements LookasideListHandle {

    /** The header's system address. */
    final int address;
    /** Who initialized the list; its pool view supplies the default routines and the verifier setting. */
    final Owner owner;
    final PoolAllocator pool;
    final SystemMemory memory;
    final SLists slists;
    /** Which routine family made it. */
    final ListKind kind;
    /** Whether it sits on the paged system list ({@code Type & BASE_POOL_TYPE_MASK}), tuned in phase 1. */
    final boolean paged;
    /** The header: {@code kind.headerSize} bytes at {@link #address}. */
    final MemorySegment header;
    /** The native end address of the pool block holding the header: two lists with the same end share a block. */
    final long blockEnd;
    /** The miss routines: the owner's pool, or the driver's own (adapted to the Ex signatures). */
    final AllocateFunctionEx allocateRoutine;
    final FreeFunctionEx freeRoutine;
    /** The implementation that made the list; the list stays with it until deleted. */
    final Implementation implementation;

    /**
     * The implementation's policy for this list: set once by the registry, under its lock, after the header is
     * written and before the list is published (the index is republished through a volatile write after it).
     */
    LookasideCache cache;

    /**
     * Whether the pool could mark the header's block ({@code setLookasideMark}); when not, the tuner
     * checks only that the address is still live. Set once by the registry before the list is published.
     */
    boolean markable;

    /** Cleared (once, under the registry's lock) when the list is deleted, purged or dropped after a fault. */
    private volatile boolean live = true;

    RegisteredList(int address, Owner owner, PoolAllocator pool, ListKind kind, boolean paged, MemorySegment header,
                   long blockEnd, AllocateFunctionEx allocateRoutine, FreeFunctionEx freeRoutine,
                   Implementation implementation) {
        this.address = address;
        this.owner = owner;
        this.pool = pool;
        this.memory = pool.memory();
        this.slists = new SLists(memory);
        this.kind = kind;
        this.paged = paged;
        this.header = header;
        this.blockEnd = blockEnd;
        this.allocateRoutine = allocateRoutine;
        this.freeRoutine = freeRoutine;
        this.implementation = implementation;
    }

    /** {@code nt}, {@code magazine}, ... */
    String implementation() {
        return implementation.name();
    }

    // ---- the driver's calls, checked by the view: to the cache

    /** {@code ExAllocateFrom...LookasideList}: an entry's address, or 0 when the Allocate routine returned NULL. */
    int allocate() {
        return cache.allocate();
    }

    /** {@code ExFreeTo...LookasideList}. */
    void free(int entry) {
        cache.free(entry);
    }

    /** A per-thread handle; see {@link LookasideTap}: the cache's own, else the executive's over the cache. */
    LookasideTap tap() {
        LookasideTap t = cache.tap();
        return t != null ? t : new Tap();
    }

    // ---- LookasideListHandle: what the cache sees

    @Override
    public int address() {
        return address;
    }

    @Override
    public MemorySegment header() {
        return header;
    }

    @Override
    public SystemMemory memory() {
        return memory;
    }

    @Override
    public Owner owner() {
        return owner;
    }

    @Override
    public boolean isLive() {
        return live;
    }

    /** {@code Allocate(Type, Size, Tag)} / {@code AllocateEx(..., Lookaside)}, with the header's current values. */
    @Override
    public int allocateFromRoutine() {
        LookasideEvents.missed(this); // off by default: a branch
        return allocateRoutine.AllocateEx(LookasideHeader.type(header),
                Integer.toUnsignedLong(LookasideHeader.size(header)), LookasideHeader.tag(header), address);
    }

    @Override
    public void freeToRoutine(int entry) {
        freeRoutine.FreeEx(entry, address);
    }

    @Override
    public BugCheck noLiveList(String routine) {
        return implementation.system().noLiveList(routine, address);
    }

    // ---- the registry's and the tuner's calls

    /**
     * Makes the header's counters and {@code ListHead} account for everything the implementation keeps
     * elsewhere (per-thread caches). Called before every scan, snapshot and flush.
     */
    void fold() {
        cache.fold();
    }

    /** Entries cached now: {@code !lookaside}'s Current Depth. */
    int cachedEntries() {
        return SLists.depth(header) + cache.cachedOutsideListHead();
    }

    /**
     * {@code ExFlushLookasideListEx}: the cache returns what it holds outside {@code ListHead}; then the whole
     * S-list goes in one {@code InterlockedFlushSList}, each entry to the Free routine, an entry's link read
     * before the routine gets it. Counters do not move, as in NT.
     */
    void flush() {
        fold();
        cache.flush();
        int entry = slists.flush(header);
        while (entry != 0) {
            int next = memory.readInt(entry);
            freeRoutine.FreeEx(entry, address);
            entry = next;
        }
    }

    /** Whether the Driver Verifier checks the owner: NT's {@code ExMinimumLookasideDepth == 0}. */
    boolean verified() {
        return pool.isVerified();
    }

    /**
     * Registry only, under its lock: the list is gone. {@code deleted}: by {@code ExDelete...}, whose
     * flush follows and owes every cached entry to the Free routine; otherwise purged or dropped, and
     * cached entries are forgotten.
     */
    void kill(boolean deleted) {
        live = false; // first: the cache's per-thread paths see the list dead before it revokes them
        cache.listGone(deleted);
    }

    /** At each balance-set manager scan of this list, before its depth is computed (under the registry's lock). */
    void tick() {
        cache.tick();
    }

    /** The balance-set manager (or the debugger) has just stored a new {@code Depth} in the header. */
    void depthChanged() {
        cache.depthChanged();
    }

    /** After a delete's flush: whether per-thread caches of threads that live on still hold entries for this list. */
    boolean hasStranded() {
        return cache.hasStranded();
    }

    /** Entries stranded by a delete whose threads have since ended, to the Free routine; whether none is left. */
    boolean reapStranded() {
        return cache.reapStranded();
    }

    /** Forgets stranded entries without calling anything: the owner's memory is being reclaimed. */
    void discardStranded() {
        cache.discardStranded();
    }

    /**
     * {@code !lookaside <address> 1}, under the registry's lock: the cache's counts are {@linkplain #fold() folded}
     * into the header first, so every count up to the fold is zeroed, and later folds add only what comes after.
     */
    void resetCounters() {
        fold();
        MemorySegment h = header;
        // Plain stores, racing with the users' plain increments as the debugger's writes race with NT's: a count in
        // flight lands before the reset, after it, or is lost, and a per-thread cache's fold on another thread's query
        // may add a few counts between our fold and these stores. Benign: these are statistics, and the tuner's
        // snapshots are reset with them, so its next delta is never negative.
        LookasideHeader.setTotalAllocates(h, 0);
        LookasideHeader.setAllocateMisses(h, 0);
        LookasideHeader.setTotalFrees(h, 0);
        LookasideHeader.setFreeMisses(h, 0);
        LookasideHeader.setLastTotalAllocates(h, 0);
        LookasideHeader.setLastAllocateMisses(h, 0);
    }

    /**
     * {@code !lookaside <address> 2 <depth>}, under the registry's lock: told to the cache the way the tuner tells it
     * ({@link #depthChanged()}), so a per-thread cache re-checks its cap at its thread's next operation.
     *
     * @throws IllegalArgumentException naming {@code depth} and the bounds when it is outside 0..MaximumDepth
     */
    void setDepth(int depth) {
        MemorySegment h = header;
        int maximumDepth = LookasideHeader.maximumDepth(h);
        if (depth < 0 || depth > maximumDepth) {
            throw new IllegalArgumentException(String.format(
                    "depth=%d is outside 0..MaximumDepth=%d of the lookaside list at %08X", depth, maximumDepth, address));
        }
        if (LookasideHeader.depth(h) != depth) {
            // a plain store, read by the users' frees with plain loads, as the tuner's own (DepthTuner.scan)
            LookasideHeader.setDepth(h, depth);
            depthChanged();
        }
    }

    /** A snapshot of the header, folded first. */
    LookasideInfo info() {
        fold();
        MemorySegment h = header;
        return new LookasideInfo(address, owner, implementation(), LookasideHeader.type(h), LookasideHeader.tag(h),
                LookasideHeader.size(h), cachedEntries(), LookasideHeader.depth(h), LookasideHeader.maximumDepth(h),
                Integer.toUnsignedLong(LookasideHeader.totalAllocates(h)),
                Integer.toUnsignedLong(LookasideHeader.allocateMisses(h)),
                Integer.toUnsignedLong(LookasideHeader.totalFrees(h)),
                Integer.toUnsignedLong(LookasideHeader.freeMisses(h)));
    }

    @Override
    public String toString() {
        return String.format("%s lookaside list at %08X (owner %s)", implementation(), address, owner);
    }

    /**
     * The executive's tap, for a cache without its own: the list itself, with entries resolved to segments;
     * counters and depth are exactly those of the {@code Ex...} routines.
     */
    private final class Tap implements LookasideTap {

        @Override
        public MemorySegment allocate() {
            checkLive("LookasideTap.allocate");
            int entry = cache.allocate();
            return entry == 0 ? MemorySegment.NULL
                    : memory.resolve(entry, Integer.toUnsignedLong(LookasideHeader.size(header)));
        }

        @Override
        public void free(MemorySegment entry) {
            checkLive("LookasideTap.free");
            cache.free(memory.addressOf(entry));
        }

        @Override
        public int lookaside() {
            return address;
        }

        private void checkLive(String routine) {
            if (!live) {
                throw new BugCheck(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, Integer.toUnsignedLong(address), 0, 0, 0,
                        String.format("%s: the lookaside list at %08X this tap serves is no longer live", routine, address));
            }
        }
    }
}
