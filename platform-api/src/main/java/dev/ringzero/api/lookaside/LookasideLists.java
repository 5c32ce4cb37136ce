package dev.ringzero.api.lookaside;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Lookaside lists as one driver sees them: NT's {@code Ex...LookasideList} routines.
 *
 * <p>The header is caller-supplied memory at a system address — {@code sizeof(PAGED_LOOKASIDE_LIST)}
 * ({@link dev.ringzero.api.memory.NtLayouts#PAGED_LOOKASIDE_LIST}) for the paged routines,
 * {@code NPAGED_LOOKASIDE_LIST} or {@code LOOKASIDE_LIST_EX} for the others — and holds the S-list and
 * the counters in NT's x86 layout, updated as NT updates them:
 * <pre>
 * allocate:  TotalAllocates++; e = pop(ListHead); if e == NULL { AllocateMisses++; e = Allocate(Type, Size, Tag) }
 * free:      TotalFrees++; if depth(ListHead) &gt;= Depth { FreeMisses++; Free(e) } else push(ListHead, e)
 * </pre>
 * Initialization sets {@code Depth} 4 (0 when the owner is verified: the verifier disables lookaside
 * caching), {@code MaximumDepth} 256, and ignores the {@code Depth} argument as NT does; the
 * balance-set manager tunes {@code Depth} every 3 seconds per list. A list must be deleted before its
 * header's memory is freed and before the driver unloads.
 *
 * <p>IRQL: paged routines at &le; APC_LEVEL, non-paged and Ex routines at &le; DISPATCH_LEVEL (checked
 * at initialization and delete; the allocate/free hit path is not checked, as NT's inline routines
 * are not).
 */
@ProviderType
public interface LookasideLists {

    /** {@code ExInitializePagedLookasideList}. {@code allocate}/{@code free} may be null (the pool's routines). */
    void ExInitializePagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free, int flags,
                                        long size, int tag, int depth);

    /** {@code ExInitializeNPagedLookasideList}. */
    void ExInitializeNPagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free, int flags,
                                         long size, int tag, int depth);

    /**
     * {@code ExInitializeLookasideListEx}.
     *
     * @return {@code STATUS_SUCCESS}, or {@code STATUS_INVALID_PARAMETER_4} (bad pool type),
     *         {@code _5} (bad flags), {@code _8} (depth not 0, 256 or 1024)
     */
    NtStatus ExInitializeLookasideListEx(int lookaside, AllocateFunctionEx allocate, FreeFunctionEx free,
                                         int poolType, int flags, long size, int tag, int depth);

    int ExAllocateFromPagedLookasideList(int lookaside);

    void ExFreeToPagedLookasideList(int lookaside, int entry);

    void ExDeletePagedLookasideList(int lookaside);

    int ExAllocateFromNPagedLookasideList(int lookaside);

    void ExFreeToNPagedLookasideList(int lookaside, int entry);

    void ExDeleteNPagedLookasideList(int lookaside);

    int ExAllocateFromLookasideListEx(int lookaside);

    void ExFreeToLookasideListEx(int lookaside, int entry);

    void ExDeleteLookasideListEx(int lookaside);

    /** {@code ExFlushLookasideListEx}: returns every cached entry to the free routine. */
    void ExFlushLookasideListEx(int lookaside);

    /** A per-thread handle on the list at {@code lookaside} for the fastest allocate/free path. */
    LookasideTap tap(int lookaside);

    /** A snapshot of the list at {@code lookaside}'s header. */
    LookasideInfo query(int lookaside);

    /** The owner of the lists this view initializes. */
    Owner owner();

    /** The implementation's name: {@code nt}, {@code magazine}, ... */
    String implementation();
}
