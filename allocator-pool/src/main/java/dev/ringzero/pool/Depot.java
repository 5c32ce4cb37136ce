package dev.ringzero.pool;

import java.util.Arrays;

/**
 * The free blocks of one size class of one pool that no thread holds: a stack of addresses behind a
 * lock. Threads take half a magazine when theirs runs dry and give half back when theirs overflows,
 * so the lock is taken once per dozens of allocations, never on the common path.
 */
final class Depot {

    private int[] stack = new int[64];
    private int size;

    /** Moves up to {@code max} addresses into {@code dst[offset..)}; returns how many. */
    synchronized int take(int[] dst, int offset, int max) {
        int n = Math.min(max, size);
        System.arraycopy(stack, size - n, dst, offset, n);
        size -= n;
        return n;
    }

    /** Adds {@code src[from..from+n)}. */
    synchronized void give(int[] src, int from, int n) {
        if (size + n > stack.length) {
            stack = Arrays.copyOf(stack, Math.max(stack.length * 2, size + n));
        }
        System.arraycopy(src, from, stack, size, n);
        size += n;
    }

    synchronized void give(int address) {
        if (size == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[size++] = address;
    }

    /** Removes and returns up to {@code n} addresses beyond the first {@code keep}, for release to the pages. */
    synchronized int[] trim(int keep) {
        if (size <= keep) {
            return null;
        }
        int[] out = Arrays.copyOfRange(stack, keep, size);
        size = keep;
        return out;
    }

    synchronized int size() {
        return size;
    }
}
