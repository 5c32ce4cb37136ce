package dev.ringzero.api;

import java.util.function.IntSupplier;

/**
 * Interrupt request levels, kept per thread.
 *
 * <p>Every thread starts at {@link #PASSIVE_LEVEL}, the level NT runs {@code DriverEntry},
 * {@code DriverUnload} and system threads at. Allocators check the caller's level at their API
 * calls (paged pool above {@link #APC_LEVEL} is {@code BAD_POOL_CALLER}, sub-code 8) exactly where NT
 * asserts it — never on the lookaside hit path, which NT's inline routines do not check either.
 * Raising and lowering are checked like the HAL does: raising to a lower level is
 * {@code IRQL_NOT_GREATER_OR_EQUAL} (0x9), lowering to a higher one {@code IRQL_NOT_LESS_OR_EQUAL}
 * (0xA).
 */
public final class Irql {

    public static final int PASSIVE_LEVEL = 0;
    public static final int LOW_LEVEL = 0;
    public static final int APC_LEVEL = 1;
    public static final int DISPATCH_LEVEL = 2;
    public static final int PROFILE_LEVEL = 27;
    public static final int CLOCK_LEVEL = 28;
    public static final int IPI_LEVEL = 29;
    public static final int POWER_LEVEL = 30;
    public static final int HIGH_LEVEL = 31;

    /** One level per thread: a lookup, then plain reads and writes by the owning thread only. */
    private static final ThreadLocal<ThreadLevel> CURRENT = ThreadLocal.withInitial(ThreadLevel::new);

    private Irql() {
    }

    /**
     * One thread's current level, read without a thread-local lookup: what {@link #threadLevel()}
     * hands an allocator that keeps per-thread state anyway and checks the level on every call (the
     * pool's allocate and free). A final class holding the level itself, so that a read is one load
     * (no interface dispatch, no array): the pool's fast paths are inlined into their callers, and
     * every instruction and register they use counts there. Only its thread changes it, through
     * {@link #KeRaiseIrql} and {@link #KeLowerIrql}; read it on that thread only.
     */
    public static final class ThreadLevel implements IntSupplier {

        private int level = PASSIVE_LEVEL;

        private ThreadLevel() {
        }

        @Override
        public int getAsInt() {
            return level;
        }
    }

    /** {@code KeGetCurrentIrql}. Any IRQL. */
    public static int KeGetCurrentIrql() {
        return CURRENT.get().level;
    }

    /**
     * The calling thread's current level, readable without a thread-local lookup.
     *
     * @see #threadLevel()
     */
    public static IntSupplier currentThreadLevel() {
        return CURRENT.get();
    }

    /**
     * The calling thread's {@link ThreadLevel}: {@link #currentThreadLevel()} with its exact type, whose
     * reads compile to a single load.
     *
     * @since 1.1
     */
    public static ThreadLevel threadLevel() {
        return CURRENT.get();
    }

    /**
     * {@code KeRaiseIrql}: raise the current thread's level, returning the old one.
     *
     * @throws BugCheck {@code IRQL_NOT_GREATER_OR_EQUAL} when {@code newIrql} is below the current
     *                  level, or the level is outside 0..31
     */
    public static int KeRaiseIrql(int newIrql) {
        ThreadLevel current = CURRENT.get();
        int old = current.level;
        if (newIrql < old || newIrql > HIGH_LEVEL) {
            throw new BugCheck(BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL, old, newIrql, 0, 0,
                    "KeRaiseIrql(" + newIrql + ") at IRQL " + old);
        }
        current.level = newIrql;
        return old;
    }

    /**
     * {@code KeLowerIrql}: return to a level saved by {@link #KeRaiseIrql}.
     *
     * @throws BugCheck {@code IRQL_NOT_LESS_OR_EQUAL} when {@code newIrql} is above the current level
     *                  or negative
     */
    public static void KeLowerIrql(int newIrql) {
        ThreadLevel current = CURRENT.get();
        int old = current.level;
        if (newIrql > old || newIrql < PASSIVE_LEVEL) {
            throw new BugCheck(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, 0, old, 0, newIrql,
                    "KeLowerIrql(" + newIrql + ") at IRQL " + old);
        }
        current.level = newIrql;
    }

    /** The name NT's headers give a level: {@code PASSIVE_LEVEL}, {@code DISPATCH_LEVEL}, or the number. */
    public static String name(int irql) {
        return switch (irql) {
            case PASSIVE_LEVEL -> "PASSIVE_LEVEL";
            case APC_LEVEL -> "APC_LEVEL";
            case DISPATCH_LEVEL -> "DISPATCH_LEVEL";
            case HIGH_LEVEL -> "HIGH_LEVEL";
            default -> Integer.toString(irql);
        };
    }

    /**
     * Resets the calling thread to {@link #PASSIVE_LEVEL}. The host calls this before it reuses a
     * worker thread after a driver faulted at a raised level; drivers have no reason to.
     */
    public static void resetToPassive() {
        CURRENT.get().level = PASSIVE_LEVEL;
    }
}
