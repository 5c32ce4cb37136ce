package dev.ringzero.pool;

import dev.ringzero.api.Irql;
import java.util.Arrays;

/**
 * One thread's share of the pool: a magazine of free blocks per pool and size class, and the
 * thread's tag counters. Only its thread touches the magazines, without locks or atomics; once the
 * thread has ended ({@link Thread#isAlive()} false, which orders everything it did before the
 * reader's next step) the engine drains the magazines back to the depots and folds the counters into
 * its retired totals.
 */
final class ThreadCache {

    final Thread thread;
    /** A magazine never used: no room, so the first push takes the slow path that makes one. */
    static final int[] EMPTY = {};

    /** {@code magazines[space * CLASSES + class]}: free block addresses, the top at {@code counts[..] - 1}. */
    final int[][] magazines = new int[2 * SizeClasses.CLASSES][];
    final int[] counts = new int[2 * SizeClasses.CLASSES];
    final TagCounters counters = new TagCounters();
    /** The thread's IRQL, read without a thread-local lookup. */
    final Irql.ThreadLevel irql;

    ThreadCache(Thread thread) {
        this.thread = thread;
        this.irql = Irql.threadLevel();
        Arrays.fill(magazines, EMPTY);
    }

    /** The magazine of {@code slot}, made on first use. */
    int[] magazine(int slot) {
        int[] m = magazines[slot];
        if (m == EMPTY) {
            m = new int[SizeClasses.MAGAZINE[slot % SizeClasses.CLASSES]];
            magazines[slot] = m;
        }
        return m;
    }
}
