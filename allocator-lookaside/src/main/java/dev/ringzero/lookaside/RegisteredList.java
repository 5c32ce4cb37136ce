package dev.ringzero.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.AllocateFunctionEx;
import dev.ringzero.api.lookaside.FreeFunctionEx;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemorySegment;

/**
 * One live lookaside list as the {@linkplain LookasideSystem registry} and the balance-set manager see
 * it, whatever implementation serves it: the handle that {@code ExInitialize...} registers against the
 * header's address. It holds what cannot live in memory — the Allocate / Free routines, the owner,
 * the implementation's own state — and the header segment, resolved once.
 *
 * <p>Every implementation keeps NT's header in the caller's memory ({@link LookasideHeader}) and
 * makes its counters meaningful there by the time {@link #fold()} returns, so the tuner and
 * {@code !lookaside} read one format. Driver calls are dispatched to the list object, so a list stays
 * with the implementation that made it however the driver's view was obtained.
 */
abstract class RegisteredList {

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

    /**
     * Whether the pool could mark the header's block ({@code setLookasideMark}); when not, the tuner
     * checks only that the address is still live. Set once by the registry before the list is published.
     */
    boolean markable;

    /** Cleared (once, under the registry's lock) when the list is deleted, purged or dropped after a fault. */
    private volatile boolean live = true;

    RegisteredList(int address, Owner owner, PoolAllocator pool, ListKind kind, boolean paged, MemorySegment header,
                   long blockEnd, AllocateFunctionEx allocateRoutine, FreeFunctionEx freeRoutine) {
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
    }

    /** {@code nt}, {@code magazine}, ... */
    abstract String implementation();

    /** {@code ExAllocateFrom...LookasideList}: an entry's address, or 0 when the Allocate routine returned NULL. */
    abstract int allocate();

    /** {@code ExFreeTo...LookasideList}. */
    abstract void free(int entry);

    /** A per-thread handle; see {@link LookasideTap}. */
    abstract LookasideTap tap();

    /**
     * Makes the header's counters and {@code ListHead} account for everything the implementation keeps
     * elsewhere (per-thread caches). Called before every scan, snapshot and flush; {@code nt} keeps
     * nothing elsewhere.
     */
    void fold() {
    }

    /** Entries cached now: {@code !lookaside}'s Current Depth. */
    int cachedEntries() {
        return SLists.depth(header);
    }

    /**
     * {@code ExFlushLookasideListEx}: takes the whole S-list in one {@code InterlockedFlushSList} and
     * hands each entry to the Free routine, reading an entry's link before the routine gets it.
     * Counters do not move, as in NT.
     */
    void flush() {
        fold();
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

    boolean isLive() {
        return live;
    }

    /**
     * Registry only, under its lock: the list is gone. {@code deleted}: by {@code ExDelete...}, whose
     * flush follows and owes every cached entry to the Free routine; otherwise purged or dropped, and
     * cached entries are forgotten.
     */
    void kill(boolean deleted) {
        live = false;
    }

    /** At each balance-set manager scan of this list, before its depth is computed (under the registry's lock). */
    void tick() {
    }

    /** The balance-set manager has just stored a new {@code Depth} in the header. */
    void depthChanged() {
    }

    /**
     * After a delete's flush: whether entries may still be held for this list by per-thread caches of
     * threads that live on (the registry then keeps the list to {@link #reapStranded reap} later).
     */
    boolean hasStranded() {
        return false;
    }

    /**
     * Returns entries stranded by a delete whose threads have since ended to the Free routine.
     *
     * @return whether nothing is stranded any more
     */
    boolean reapStranded() {
        return true;
    }

    /** Forgets stranded entries without calling anything: the owner's memory is being reclaimed. */
    void discardStranded() {
    }

    /** {@code Allocate(Type, Size, Tag)} / {@code AllocateEx(..., Lookaside)}, with the header's current values. */
    final int allocateFromRoutine() {
        LookasideEvents.missed(this); // off by default: a branch
        return allocateRoutine.AllocateEx(LookasideHeader.type(header),
                Integer.toUnsignedLong(LookasideHeader.size(header)), LookasideHeader.tag(header), address);
    }

    /** A snapshot of the header, folded first. */
    final LookasideInfo info() {
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
}
