package dev.ringzero.api.memory;

/**
 * {@code EX_POOL_PRIORITY}: how much an allocation matters when the pool runs low
 * ({@code ExAllocatePoolWithTagPriority}, and {@code ExAllocatePool3}'s priority parameter), with the
 * values of {@code wdm.h}.
 *
 * <p>The values are bits NT cracks: 8 asks for special pool, 1 (with 8) places the block at the start
 * of its page instead of the end, and what is left is the priority (0 low, 16 normal, 32 high). As in
 * NT's {@code MmResourcesAvailable}, a low-priority request fails while fewer than 2 MiB would be left
 * in its pool after it, a normal one while fewer than 512 KiB would be; a high-priority one fails only
 * when the pool is out of memory.
 */
public final class PoolPriority {

    public static final int LowPoolPriority = 0;
    public static final int LowPoolPrioritySpecialPoolOverrun = 8;
    public static final int LowPoolPrioritySpecialPoolUnderrun = 9;
    public static final int NormalPoolPriority = 16;
    public static final int NormalPoolPrioritySpecialPoolOverrun = 24;
    public static final int NormalPoolPrioritySpecialPoolUnderrun = 25;
    public static final int HighPoolPriority = 32;
    public static final int HighPoolPrioritySpecialPoolOverrun = 40;
    public static final int HighPoolPrioritySpecialPoolUnderrun = 41;

    /** The bit that asks for special pool. */
    public static final int SPECIAL_POOL_BIT = 0x8;
    /** With {@link #SPECIAL_POOL_BIT}: the block starts at its page's start (underruns fault), not at its end. */
    public static final int SPECIAL_POOL_UNDERRUN_BIT = 0x1;

    /** Bytes that must stay free in the pool after a normal-priority allocation (NT: 512 KiB). */
    public static final long NORMAL_PRIORITY_RESERVE = 512 * 1024;
    /** Bytes that must stay free in the pool after a low-priority allocation (NT: 2 MiB). */
    public static final long LOW_PRIORITY_RESERVE = 2 * 1024 * 1024;

    private PoolPriority() {
    }

    /** Whether {@code priority} is one of the nine {@code EX_POOL_PRIORITY} values. */
    public static boolean isValid(int priority) {
        int level = priority & ~(SPECIAL_POOL_BIT | SPECIAL_POOL_UNDERRUN_BIT);
        boolean special = (priority & SPECIAL_POOL_BIT) != 0;
        boolean underrun = (priority & SPECIAL_POOL_UNDERRUN_BIT) != 0;
        return (level == LowPoolPriority || level == NormalPoolPriority || level == HighPoolPriority)
                && (special || !underrun);
    }

    /**
     * The bytes {@code priority} keeps free: what must remain in the pool after the allocation for it to
     * go ahead. 0 for high priority.
     */
    public static long reserve(int priority) {
        int level = priority & ~(SPECIAL_POOL_BIT | SPECIAL_POOL_UNDERRUN_BIT);
        if (level >= HighPoolPriority) {
            return 0;
        }
        return level >= NormalPoolPriority ? NORMAL_PRIORITY_RESERVE : LOW_PRIORITY_RESERVE;
    }

    /** Whether {@code priority} asks for special pool. */
    public static boolean wantsSpecialPool(int priority) {
        return (priority & SPECIAL_POOL_BIT) != 0;
    }

    /** Whether {@code priority} asks for special pool with the block at the start of its page. */
    public static boolean wantsUnderrunDetection(int priority) {
        return (priority & (SPECIAL_POOL_BIT | SPECIAL_POOL_UNDERRUN_BIT)) == (SPECIAL_POOL_BIT | SPECIAL_POOL_UNDERRUN_BIT);
    }

    /** The value's {@code wdm.h} name, or the number in hex. */
    public static String name(int priority) {
        return switch (priority) {
            case LowPoolPriority -> "LowPoolPriority";
            case LowPoolPrioritySpecialPoolOverrun -> "LowPoolPrioritySpecialPoolOverrun";
            case LowPoolPrioritySpecialPoolUnderrun -> "LowPoolPrioritySpecialPoolUnderrun";
            case NormalPoolPriority -> "NormalPoolPriority";
            case NormalPoolPrioritySpecialPoolOverrun -> "NormalPoolPrioritySpecialPoolOverrun";
            case NormalPoolPrioritySpecialPoolUnderrun -> "NormalPoolPrioritySpecialPoolUnderrun";
            case HighPoolPriority -> "HighPoolPriority";
            case HighPoolPrioritySpecialPoolOverrun -> "HighPoolPrioritySpecialPoolOverrun";
            case HighPoolPrioritySpecialPoolUnderrun -> "HighPoolPrioritySpecialPoolUnderrun";
            default -> String.format("0x%X", priority);
        };
    }
}
