package dev.ringzero.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * One thread's per-tag counters: NT's pool tracker table, kept per thread so that counting an
 * allocation or a free costs no locked instruction. Keyed by {@link #key(int, int, boolean) tag,
 * owner and pool}; open addressing with linear probing, a one-entry cache for the last key.
 *
 * <pre>
 * rows (one long[], ROW = 8 longs, one cache line, per row)
 *   +0 KEY        tag | owner << 32 | paged << 63; 0 = empty row
 *   +1 ALLOCS     allocations counted by this thread
 *   +2 FREES      frees counted by this thread
 *   +3 ALLOCATED  bytes asked for by those allocations
 *   +4 FREED      bytes of the blocks this thread freed (other threads' blocks too)
 *   +5..7         unused
 * </pre>
 * Bytes allocated and bytes freed are separate counters, not one "bytes in use": an allocation and
 * a free then never read-modify-write the same location, so an allocate-free loop carries no
 * dependency from one counter update to the next.
 *
 * <p><b>Ordering.</b> Only the owning thread writes. Counters are written with {@code setOpaque} (a
 * plain store on x86 that cannot tear) and read by other threads with {@code getOpaque}; a key is
 * written with {@code setRelease} after its counters and read with {@code getAcquire}; a grown table
 * is published through the volatile {@link #published}. A reader summing while the owner runs sees
 * each counter at some recent value (the sum is a snapshot, not an atomic one); once the owner is
 * quiescent and the reader has synchronized with it (a join, a lock) the sum is exact.
 */
final class TagCounters {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long EMPTY = 0;

    static final int ROW_SHIFT = 3;
    static final int ROW = 1 << ROW_SHIFT;
    static final int KEY = 0;
    static final int ALLOCS = 1;
    static final int FREES = 2;
    static final int ALLOCATED = 3;
    static final int FREED = 4;

    /** One row of a snapshot; {@code bytes} = bytes allocated - bytes freed. */
    record Row(long key, long allocs, long frees, long bytes) {
    }

    private long[] rows = new long[16 * ROW];
    private volatile long[] published = rows;
    private int size;
    private long lastKey = EMPTY;
    private int lastRow;

    /** Tag (PROTECTED_POOL stripped) | owner index << 32 | paged << 63. Never 0: owner indexes start at 1. */
    static long key(int tag, int ownerIndex, boolean paged) {
        return (tag & 0x7FFF_FFFFL) | ((long) ownerIndex << 32) | (paged ? Long.MIN_VALUE : 0);
    }

    static int tagOf(long key) {
        return (int) (key & 0x7FFF_FFFFL);
    }

    static int ownerOf(long key) {
        return (int) ((key >>> 32) & 0x7FFF_FFFFL);
    }

    static boolean pagedOf(long key) {
        return key < 0;
    }

    void allocated(long key, long bytes) {
        int r = key == lastKey ? lastRow : row(key);
        long[] t = rows;
        LONGS.setOpaque(t, r + ALLOCS, t[r + ALLOCS] + 1);
        LONGS.setOpaque(t, r + ALLOCATED, t[r + ALLOCATED] + bytes);
    }

    void freed(long key, long bytes) {
        int r = key == lastKey ? lastRow : row(key);
        long[] t = rows;
        LONGS.setOpaque(t, r + FREES, t[r + FREES] + 1);
        LONGS.setOpaque(t, r + FREED, t[r + FREED] + bytes);
    }

    private int row(long key) {
        long[] t = rows;
        int mask = (t.length >>> ROW_SHIFT) - 1;
        int i = hash(key) & mask;
        while (true) {
            long k = t[(i << ROW_SHIFT) + KEY];
            if (k == key) {
                break;
            }
            if (k == EMPTY) {
                if ((size + 1) * 4 > (mask + 1) * 3) {
                    grow();
                    return row(key);
                }
                LONGS.setRelease(t, (i << ROW_SHIFT) + KEY, key);
                size++;
                break;
            }
            i = (i + 1) & mask;
        }
        lastKey = key;
        lastRow = i << ROW_SHIFT;
        return lastRow;
    }

    private void grow() {
        long[] old = rows;
        long[] t = new long[old.length * 2];
        int mask = (t.length >>> ROW_SHIFT) - 1;
        for (int j = 0; j < old.length; j += ROW) {
            long k = old[j + KEY];
            if (k != EMPTY) {
                int i = hash(k) & mask;
                while (t[(i << ROW_SHIFT) + KEY] != EMPTY) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(old, j, t, i << ROW_SHIFT, ROW);
            }
        }
        rows = t;
        published = t;
        lastKey = EMPTY;
    }

    private static int hash(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Every row, read as described above; any thread. */
    void forEach(Consumer<Row> sink) {
        long[] t = published;
        for (int r = 0; r < t.length; r += ROW) {
            long k = (long) LONGS.getAcquire(t, r + KEY);
            if (k != EMPTY) {
                sink.accept(new Row(k, (long) LONGS.getOpaque(t, r + ALLOCS), (long) LONGS.getOpaque(t, r + FREES),
                        (long) LONGS.getOpaque(t, r + ALLOCATED) - (long) LONGS.getOpaque(t, r + FREED)));
            }
        }
    }
}
