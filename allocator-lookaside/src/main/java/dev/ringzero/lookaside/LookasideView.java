package dev.ringzero.lookaside;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.AllocateFunction;
import dev.ringzero.api.lookaside.AllocateFunctionEx;
import dev.ringzero.api.lookaside.FreeFunction;
import dev.ringzero.api.lookaside.FreeFunctionEx;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasideHeader;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One driver's lookaside routines, the same for every implementation: argument rules, IRQL checks,
 * header initialization and registration are NT's whatever serves the list; an implementation only
 * supplies the caching policy of the lists it makes ({@link dev.ringzero.spi.lookaside.LookasideCache}, made by
 * the registry when it registers the list). Every call after initialization is dispatched to the
 * list registered at the header's address, so it reaches the implementation that made the list.
 *
 * <h2>Misuse</h2>
 * <table>
 *   <caption>Bug checks (P1..P4)</caption>
 *   <tr><th>misuse</th><th>owner verified</th><th>not verified</th></tr>
 *   <tr><td>initialize, delete or flush above the routine's IRQL (paged &le; APC_LEVEL, others &le; DISPATCH_LEVEL)</td>
 *       <td colspan="2">{@code IRQL_NOT_LESS_OR_EQUAL} 0xA (header, IRQL, 0, 0): NT's routines assert it; the
 *       paged ones are pageable code</td></tr>
 *   <tr><td>initialize a header that holds a live list</td><td>0xC4 (0xCA, header, 0, 0)</td>
 *       <td>0x139 (3, 0, 0, 0): re-inserting its {@code ListEntry} corrupts the system list, which current
 *       kernels' list checks catch as {@code FAST_FAIL_CORRUPT_LIST_ENTRY}</td></tr>
 *   <tr><td>delete a list never initialized, already deleted, or another driver's</td><td>0xC4 (0xCB, header, 0, 0)</td>
 *       <td>0x139 (3, 0, 0, 0): {@code RemoveEntryList} on a stale {@code ListEntry}</td></tr>
 *   <tr><td>allocate, free, flush, query or tap where no live list is (never initialized, deleted,
 *       dropped by the tuner)</td>
 *       <td colspan="2">{@code PAGE_FAULT_IN_NONPAGED_AREA} 0x50 (header, 0 read, 0, 0): the routines the call
 *       would run are gone; the detail says what became of the list</td></tr>
 *   <tr><td>size below {@code LOOKASIDE_MINIMUM_BLOCK_SIZE}</td><td>0xC4 (0xCD, header, size, 4)</td>
 *       <td>rounded up to 4, as current kernels do</td></tr>
 *   <tr><td>header's memory freed without delete</td>
 *       <td colspan="2">0xCE (header, 0, 0, 0) at the tuner's next scan, as the list owner's fault</td></tr>
 * </table>
 * A header that is not 8-byte aligned raises {@code STATUS_DATATYPE_MISALIGNMENT}, as the S-list routines
 * do; a header whose block is too small for the structure is 0x50 from the address space.
 */
final class LookasideView implements LookasideLists {

    /** {@code ExInitialize(N)PagedLookasideList}'s {@code MaximumDepth} and {@code ExInitializeLookasideListEx}'s default. */
    static final int DEFAULT_MAXIMUM_DEPTH = DepthTuner.MAXIMUM_DEPTH;
    /** {@code EX_MAXIMUM_LOOKASIDE_DEPTH_LIMIT}. */
    static final int MAXIMUM_DEPTH_LIMIT = 1024;
    /** {@code EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL}. */
    static final int EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL = 1;
    /** {@code EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE}. */
    static final int EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE = 2;
    /** Pool-type bits a caller may not pass to {@code ExInitializeLookasideListEx}. */
    static final int EX_INVALID_POOL_TYPE_BITS = 0xFFFF_FC18;

    final LookasideSystem system;
    final Owner owner;
    final PoolAllocator pool;
    final SystemMemory memory;
    /** The implementation whose policy makes this view's new lists. */
    final Implementation implementation;
    /** The list this view served last: most drivers use one list at a time. Plain field; see {@link #list}. */
    private RegisteredList last;

    LookasideView(LookasideSystem system, Owner owner, PoolAllocator pool, Implementation implementation) {
        this.system = Objects.requireNonNull(system, "system");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.memory = pool.memory();
        this.implementation = Objects.requireNonNull(implementation, "implementation");
    }

    // ---- initialize

    @Override
    public void ExInitializePagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free, int flags,
                                               long size, int tag, int depth) {
        initialize(ListKind.PAGED, lookaside, exAllocate(allocate), exFree(free), PoolType.PagedPool | flags, true,
                size, tag, DEFAULT_MAXIMUM_DEPTH);
    }

    @Override
    public void ExInitializeNPagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free, int flags,
                                                long size, int tag, int depth) {
        initialize(ListKind.NPAGED, lookaside, exAllocate(allocate), exFree(free), PoolType.NonPagedPool | flags, false,
                size, tag, DEFAULT_MAXIMUM_DEPTH);
    }

    @Override
    public NtStatus ExInitializeLookasideListEx(int lookaside, AllocateFunctionEx allocate, FreeFunctionEx free,
                                                int poolType, int flags, long size, int tag, int depth) {
        checkIrql(ListKind.EX.initialize(), lookaside, ListKind.EX.maximumIrql);
        if (depth != 0 && depth != DEFAULT_MAXIMUM_DEPTH && depth != MAXIMUM_DEPTH_LIMIT) {
            return NtStatus.STATUS_INVALID_PARAMETER_8;
        }
        if (flags != 0 && flags != EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL && flags != EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE) {
            return NtStatus.STATUS_INVALID_PARAMETER_5;
        }
        if ((poolType & EX_INVALID_POOL_TYPE_BITS) != 0 || (poolType & 3) == PoolType.DontUseThisType) {
            return NtStatus.STATUS_INVALID_PARAMETER_4;
        }
        int type = poolType | switch (flags) {
            case EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL -> PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE;
            case EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE -> PoolType.POOL_QUOTA_FAIL_INSTEAD_OF_RAISE;
            default -> 0;
        };
        AllocateFunctionEx a = allocate != null ? allocate : (t, s, g, l) -> pool.ExAllocatePoolWithTag(t, s, g);
        FreeFunctionEx f = free != null ? free : (b, l) -> pool.ExFreePool(b);
        initialize(ListKind.EX, lookaside, a, f, type, PoolType.isPaged(poolType), size, tag,
                depth == 0 ? DEFAULT_MAXIMUM_DEPTH : depth);
        return NtStatus.STATUS_SUCCESS;
    }

    private AllocateFunctionEx exAllocate(AllocateFunction allocate) {
        return allocate != null ? (t, s, g, l) -> allocate.Allocate(t, s, g)
                : (t, s, g, l) -> pool.ExAllocatePoolWithTag(t, s, g);
    }

    private FreeFunctionEx exFree(FreeFunction free) {
        return free != null ? (b, l) -> free.Free(b) : (b, l) -> pool.ExFreePool(b);
    }

    private void initialize(ListKind kind, int lookaside, AllocateFunctionEx allocate, FreeFunctionEx free, int type,
                            boolean paged, long size, int tag, int maximumDepth) {
        String routine = kind.initialize();
        checkIrql(routine, lookaside, kind.maximumIrql);
        boolean verified = pool.isVerified();
        if (Long.compareUnsigned(size, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE) < 0 && verified) {
            throw new BugCheck(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xCD, u(lookaside), size,
                    NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE, String.format(
                    "%s(%08X): entry size %d is below LOOKASIDE_MINIMUM_BLOCK_SIZE (%d)", routine, lookaside, size,
                    NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE));
        }
        int entrySize = (int) (Long.compareUnsigned(size, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE) < 0
                ? NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE : size);
        if ((lookaside & 7) != 0) {
            throw new NtStatusException(NtStatus.STATUS_DATATYPE_MISALIGNMENT, String.format(
                    "%s(%08X): the header's SLIST_HEADER must be 8-byte aligned", routine, lookaside));
        }
        MemorySegment header = memory.resolve(lookaside, kind.headerSize);
        MemorySegment block = memory.resolve(lookaside);
        RegisteredList list = new RegisteredList(lookaside, owner, pool, kind, paged, header,
                block.address() + block.byteSize(), allocate, free, implementation);
        int depth = verified ? 0 : DepthTuner.MINIMUM_DEPTH;
        // The header is written only once the registry has ruled out a live list there; the cache is made after it.
        system.register(list, verified, () -> {
            list.slists.InitializeSListHead(lookaside);
            LookasideHeader.initialize(header, depth, maximumDepth, type, tag, entrySize);
        });
    }

    // ---- use

    /** The live list at {@code lookaside}; 0x50 naming the address (and what became of its list) when there is none. */
    final RegisteredList list(String routine, int lookaside) {
        // Racy single-entry cache, benign: a reference read is atomic, the list's fields are final, and a
        // stale entry fails the address or live check and falls through to the registry's index.
        RegisteredList l = last;
        if (l != null && l.address == lookaside && l.isLive()) {
            return l;
        }
        l = system.lookup(lookaside);
        if (l == null) {
            throw system.noLiveList(routine, lookaside);
        }
        last = l;
        return l;
    }

    /** {@code ExAllocateFrom...}: the live list's cache. */
    private int allocate(String routine, int lookaside) {
        return list(routine, lookaside).allocate();
    }

    /** {@code ExFreeTo...}: the live list's cache. */
    private void free(String routine, int lookaside, int entry) {
        list(routine, lookaside).free(entry);
    }

    @Override
    public int ExAllocateFromPagedLookasideList(int lookaside) {
        return allocate("ExAllocateFromPagedLookasideList", lookaside);
    }

    @Override
    public void ExFreeToPagedLookasideList(int lookaside, int entry) {
        free("ExFreeToPagedLookasideList", lookaside, entry);
    }

    @Override
    public void ExDeletePagedLookasideList(int lookaside) {
        delete(ListKind.PAGED, lookaside);
    }

    @Override
    public int ExAllocateFromNPagedLookasideList(int lookaside) {
        return allocate("ExAllocateFromNPagedLookasideList", lookaside);
    }

    @Override
    public void ExFreeToNPagedLookasideList(int lookaside, int entry) {
        free("ExFreeToNPagedLookasideList", lookaside, entry);
    }

    @Override
    public void ExDeleteNPagedLookasideList(int lookaside) {
        delete(ListKind.NPAGED, lookaside);
    }

    @Override
    public int ExAllocateFromLookasideListEx(int lookaside) {
        return allocate("ExAllocateFromLookasideListEx", lookaside);
    }

    @Override
    public void ExFreeToLookasideListEx(int lookaside, int entry) {
        free("ExFreeToLookasideListEx", lookaside, entry);
    }

    @Override
    public void ExDeleteLookasideListEx(int lookaside) {
        delete(ListKind.EX, lookaside);
    }

    @Override
    public void ExFlushLookasideListEx(int lookaside) {
        checkIrql("ExFlushLookasideListEx", lookaside, Irql.DISPATCH_LEVEL);
        list("ExFlushLookasideListEx", lookaside).flush();
    }

    private void delete(ListKind kind, int lookaside) {
        String routine = kind.delete();
        checkIrql(routine, lookaside, kind.maximumIrql);
        system.delete(owner, pool.isVerified(), routine, lookaside);
    }

    @Override
    public LookasideTap tap(int lookaside) {
        return list("tap", lookaside).tap();
    }

    @Override
    public LookasideInfo query(int lookaside) {
        return list("query", lookaside).info();
    }

    @Override
    public Owner owner() {
        return owner;
    }

    @Override
    public String implementation() {
        return implementation.name();
    }

    static void checkIrql(String routine, int lookaside, int maximumIrql) {
        int irql = Irql.KeGetCurrentIrql();
        if (irql > maximumIrql) {
            throw new BugCheck(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, u(lookaside), irql, 0, 0, String.format(
                    "%s(%08X) called at IRQL %s; it runs at IRQL <= %s", routine, lookaside, Irql.name(irql),
                    Irql.name(maximumIrql)));
        }
    }

    static long u(int address) {
        return Integer.toUnsignedLong(address);
    }
}
