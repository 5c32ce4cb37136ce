package dev.ringzero.api.memory;

/**
 * {@code POOL_TYPE} values and the pool-flag bits that may be OR-ed into them, as NT's headers define
 * them. A pool type is an {@code int} so that {@code PagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE}
 * reads as in C and lands in a lookaside header's {@code Type} field unchanged.
 */
public final class PoolType {

    public static final int NonPagedPool = 0;
    public static final int NonPagedPoolExecute = 0;
    public static final int PagedPool = 1;
    public static final int NonPagedPoolMustSucceed = 2;
    public static final int DontUseThisType = 3;
    public static final int NonPagedPoolCacheAligned = 4;
    public static final int PagedPoolCacheAligned = 5;
    public static final int NonPagedPoolCacheAlignedMustS = 6;
    public static final int NonPagedPoolNx = 0x200;
    public static final int NonPagedPoolNxCacheAligned = 0x204;

    /** The paged bit: {@code BASE_POOL_TYPE_MASK}. */
    public static final int BASE_POOL_TYPE_MASK = 1;
    public static final int MUST_SUCCEED_POOL_MASK = 2;
    public static final int CACHE_ALIGNED_POOL_MASK = 4;
    public static final int QUOTA_POOL_MASK = 8;
    public static final int SESSION_POOL_MASK = 32;

    public static final int POOL_QUOTA_FAIL_INSTEAD_OF_RAISE = 0x08;
    public static final int POOL_RAISE_IF_ALLOCATION_FAILURE = 0x10;
    public static final int POOL_COLD_ALLOCATION = 0x100;
    public static final int POOL_NX_ALLOCATION = 0x200;
    public static final int POOL_ZERO_ALLOCATION = 0x400;

    private PoolType() {
    }

    /** Whether {@code poolType} names paged pool (its base type's low bit). */
    public static boolean isPaged(int poolType) {
        return (poolType & BASE_POOL_TYPE_MASK) != 0;
    }

    /** {@code NonPagedPool} or {@code PagedPool}: which of the two pools a type draws from. */
    public static String baseName(int poolType) {
        return isPaged(poolType) ? "PagedPool" : "NonPagedPool";
    }

    /**
     * How {@code !lookaside} names a type: the base pool, then each flag,
     * e.g. {@code PagedPool RaiseIfAllocationFailure}.
     */
    public static String describe(int poolType) {
        StringBuilder sb = new StringBuilder(baseName(poolType));
        if ((poolType & MUST_SUCCEED_POOL_MASK) != 0) sb.append(" MustSucceed");
        if ((poolType & CACHE_ALIGNED_POOL_MASK) != 0) sb.append(" CacheAligned");
        if ((poolType & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE) != 0) sb.append(" QuotaFailInsteadOfRaise");
        if ((poolType & POOL_RAISE_IF_ALLOCATION_FAILURE) != 0) sb.append(" RaiseIfAllocationFailure");
        if ((poolType & SESSION_POOL_MASK) != 0) sb.append(" Session");
        if ((poolType & POOL_NX_ALLOCATION) != 0) sb.append(" Nx");
        return sb.toString();
    }
}
