package dev.ringzero.api.memory;

/**
 * {@code POOL_FLAGS}: the 64-bit flags of {@code ExAllocatePool2} and {@code ExAllocatePool3}
 * (Windows 10, version 2004), with the values of {@code wdm.h}, and the translation the kernel makes
 * of them into a {@link PoolType pool type}.
 *
 * <h2>Required and optional flags</h2>
 * The low 32 bits are <em>required</em> flags: an allocator that does not recognize one, or cannot
 * satisfy it, fails the allocation. The high 32 bits are <em>optional</em>: an unrecognized one is
 * ignored. Exactly one of {@link #POOL_FLAG_NON_PAGED}, {@link #POOL_FLAG_NON_PAGED_EXECUTE} and
 * {@link #POOL_FLAG_PAGED} must be given. See {@code docs/pool-flags.md} for the sources and for what
 * each flag does in Ringzero.
 *
 * <h2>Translation</h2>
 * {@link #toPoolType} makes NT's translation: the pool flag picks {@code NonPagedPoolNx},
 * {@code NonPagedPool} (executable) or {@code PagedPool}; the memory is zeroed
 * ({@link PoolType#POOL_ZERO_ALLOCATION}) unless {@link #POOL_FLAG_UNINITIALIZED};
 * {@link #POOL_FLAG_CACHE_ALIGNED} adds {@link PoolType#CACHE_ALIGNED_POOL_MASK},
 * {@link #POOL_FLAG_SESSION} {@link PoolType#SESSION_POOL_MASK}; {@link #POOL_FLAG_USE_QUOTA} marks the
 * block as a quota block ({@link PoolType#QUOTA_POOL_MASK}); {@link #POOL_FLAG_RAISE_ON_FAILURE} adds
 * {@link PoolType#POOL_RAISE_IF_ALLOCATION_FAILURE}.
 */
public final class PoolFlags {

    /** Charge the allocation to the current process's pool quota. */
    public static final long POOL_FLAG_USE_QUOTA = 0x0000_0000_0000_0001L;
    /** Leave the memory uninitialized; without it the block is zeroed. */
    public static final long POOL_FLAG_UNINITIALIZED = 0x0000_0000_0000_0002L;
    /** Session pool: reserved for the operating system. */
    public static final long POOL_FLAG_SESSION = 0x0000_0000_0000_0004L;
    /** Align the block to a processor cache line. */
    public static final long POOL_FLAG_CACHE_ALIGNED = 0x0000_0000_0000_0008L;
    /** Reserved for the system. */
    public static final long POOL_FLAG_RESERVED1 = 0x0000_0000_0000_0010L;
    /** Raise an exception instead of returning NULL when the allocation fails. */
    public static final long POOL_FLAG_RAISE_ON_FAILURE = 0x0000_0000_0000_0020L;
    /** Non-paged, non-executable pool ({@code NonPagedPoolNx}). */
    public static final long POOL_FLAG_NON_PAGED = 0x0000_0000_0000_0040L;
    /** Non-paged executable pool ({@code NonPagedPool}). */
    public static final long POOL_FLAG_NON_PAGED_EXECUTE = 0x0000_0000_0000_0080L;
    /** Paged pool. */
    public static final long POOL_FLAG_PAGED = 0x0000_0000_0000_0100L;
    /** Reserved for the system. */
    public static final long POOL_FLAG_RESERVED2 = 0x0000_0000_0000_0200L;
    /** Reserved for the system. */
    public static final long POOL_FLAG_RESERVED3 = 0x0000_0000_0000_0400L;
    public static final long POOL_FLAG_LAST_KNOWN_REQUIRED = POOL_FLAG_RESERVED3;
    public static final long POOL_FLAG_REQUIRED_START = 0x0000_0000_0000_0001L;
    public static final long POOL_FLAG_REQUIRED_END = 0x0000_0000_8000_0000L;
    public static final long POOL_FLAG_OPTIONAL_START = 0x0000_0001_0000_0000L;
    /** Optional: serve the block from special pool, or from the normal pool when special pool cannot. */
    public static final long POOL_FLAG_SPECIAL_POOL = 0x0000_0001_0000_0000L;
    public static final long POOL_FLAG_OPTIONAL_END = 0x8000_0000_0000_0000L;

    /** What {@link #toPoolType} returns for flags that cannot be satisfied; no pool type is negative here. */
    public static final int INVALID = -1;

    /** The three flags that name a pool; exactly one must be given. */
    static final long POOL_SELECTION = POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED;
    /** The required flags Ringzero's pools recognize. */
    static final long RECOGNIZED_REQUIRED = POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED | POOL_FLAG_SESSION
            | POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE | POOL_SELECTION;
    /** The low 32 bits: required flags. */
    static final long REQUIRED_MASK = 0xFFFF_FFFFL;

    private PoolFlags() {
    }

    /**
     * The pool type NT's allocator makes of {@code flags}, or {@link #INVALID} when a required flag is one
     * the pool does not recognize (a reserved one, or one beyond {@link #POOL_FLAG_LAST_KNOWN_REQUIRED}) or
     * when not exactly one pool is named. Optional flags do not change the type.
     */
    public static int toPoolType(long flags) {
        long required = flags & REQUIRED_MASK;
        if ((required & ~RECOGNIZED_REQUIRED) != 0) {
            return INVALID;
        }
        int poolType;
        long pool = flags & POOL_SELECTION;
        if (pool == POOL_FLAG_NON_PAGED) {
            poolType = PoolType.NonPagedPoolNx;
        } else if (pool == POOL_FLAG_NON_PAGED_EXECUTE) {
            poolType = PoolType.NonPagedPoolExecute;
        } else if (pool == POOL_FLAG_PAGED) {
            poolType = PoolType.PagedPool;
        } else {
            return INVALID;
        }
        if ((flags & POOL_FLAG_UNINITIALIZED) == 0) {
            poolType |= PoolType.POOL_ZERO_ALLOCATION;
        }
        if ((flags & POOL_FLAG_CACHE_ALIGNED) != 0) {
            poolType |= PoolType.CACHE_ALIGNED_POOL_MASK;
        }
        if ((flags & POOL_FLAG_SESSION) != 0) {
            poolType |= PoolType.SESSION_POOL_MASK;
        }
        if ((flags & POOL_FLAG_USE_QUOTA) != 0) {
            poolType |= PoolType.QUOTA_POOL_MASK;
        }
        if ((flags & POOL_FLAG_RAISE_ON_FAILURE) != 0) {
            poolType |= PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE;
        }
        return poolType;
    }

    /** What is wrong with {@code flags} for {@link #toPoolType}, in one line; empty when nothing is. */
    public static String whatIsInvalid(long flags) {
        long unknown = flags & REQUIRED_MASK & ~RECOGNIZED_REQUIRED;
        if (unknown != 0) {
            return String.format("required flag bits 0x%X are reserved or unknown to this pool", unknown);
        }
        long pool = flags & POOL_SELECTION;
        if (Long.bitCount(pool) != 1) {
            return pool == 0 ? "no pool named: give one of POOL_FLAG_NON_PAGED, POOL_FLAG_NON_PAGED_EXECUTE, POOL_FLAG_PAGED"
                    : "more than one pool named: " + describe(pool);
        }
        return "";
    }

    /** The flags by name, joined with {@code |} as in C, unknown bits in hex; {@code 0} for none. */
    public static String describe(long flags) {
        StringBuilder sb = new StringBuilder();
        long rest = flags;
        String[] names = {"POOL_FLAG_USE_QUOTA", "POOL_FLAG_UNINITIALIZED", "POOL_FLAG_SESSION", "POOL_FLAG_CACHE_ALIGNED",
                "POOL_FLAG_RESERVED1", "POOL_FLAG_RAISE_ON_FAILURE", "POOL_FLAG_NON_PAGED", "POOL_FLAG_NON_PAGED_EXECUTE",
                "POOL_FLAG_PAGED", "POOL_FLAG_RESERVED2", "POOL_FLAG_RESERVED3"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1L << bit)) != 0) {
                sb.append(sb.isEmpty() ? "" : " | ").append(names[bit]);
                rest &= ~(1L << bit);
            }
        }
        if ((rest & POOL_FLAG_SPECIAL_POOL) != 0) {
            sb.append(sb.isEmpty() ? "" : " | ").append("POOL_FLAG_SPECIAL_POOL");
            rest &= ~POOL_FLAG_SPECIAL_POOL;
        }
        if (rest != 0) {
            sb.append(sb.isEmpty() ? "" : " | ").append(String.format("0x%X", rest));
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }
}
