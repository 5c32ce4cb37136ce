package dev.ringzero.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * One thread's per-tag counters: NT's pool tracker table, kept per thread so that counting an
 * allocation or a free costs no locked instruction. Keyed by {@link #key(int, int, boolean) tag,
 * owner and pool}; open addressing with linear probing over {@link Counter} objects, a one-entry
 * cache for the last key.
 *
 * <pre>
 * Counter (one object per key)
 *   key        owner | paged << 31 | tag << 32 (final)
 *   allocs     allocations counted by this thread
 *   frees      frees counted by this thread
 *   allocated  bytes asked for by those allocations
 *   freed      bytes of the blocks this thread freed (other threads' blocks too)
 * </pre>
 * A counter is an object rather than a row of a {@code long[]}: the fast path then updates fields
 * of the object its one-entry cache holds, with no array bounds to check (each check is a branch,
 * and a deoptimization point that makes the compiled allocate and free bigger). Bytes allocated and
 * bytes freed are separate counters, not one "bytes in use": an allocation and a free then never
 * read-modify-write the same location, so an allocate-free loop carries no dependency from one
 * counter update to the next.
 *
 * <p><b>Ordering.</b> Only the owning thread writes. Counters are written with {@code setOpaque} (a
 * plain store on x86 that cannot tear) and read by other threads with {@code getOpaque}; a new
 * counter (its key final) is published by a volatile write of {@link #published}, a copy of the
 * table made when a key is added, which is rare. A reader summing while the owner runs sees each
 * counter at some recent value (the sum is a snapshot, not an atomic one); once the owner is
 * quiescent and the reader has synchronized with it (a join, a lock) the sum is exact.
 */
final class TagCounters {

    private static final VarHandle ALLOCS;
    private static final VarHandle FREES;
    private static final VarHandle ALLOCATED;
    private static final VarHandle FREED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ALLOCS = l.findVarHandle(Counter.class, "allocs", long.class);
            FREES = l.findVarHandle(Counter.class, "frees", long.class);
            ALLOCATED = l.findVarHandle(Counter.class, "allocated", long.class);
            FREED = l.findVarHandle(Counter.class, "freed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One key's counters; written by the owning thread only (see the class comment). */
    static final class Counter {
        final long key;
        long allocs;
        long frees;
        long allocated;
        long freed;

        Counter(long key) {
            this.key = key;
        }
    }

    /** One row of a snapshot; {@code bytes} = bytes allocated - bytes freed. */
    record Row(long key, long allocs, long frees, long bytes) {
    }

    /** The owner's table (power-of-two length, null = empty slot). */
    private Counter[] table = new Counter[16];
    /** What readers iterate: a copy of {@link #table} taken each time a key is added. */
    private volatile Counter[] published = table.clone();
    private int size;
    /** The last key's counter: never null, a dummy matching no key (0 is never a key) until the first count. */
    private Counter last = new Counter(0);

    /** The key bit of paged pool (the owner index's top bit, never set in an index). */
    static final long PAGED_KEY_BIT = 1L << 31;

    /** {@link #PAGED_KEY_BIT} for {@code paged} 1, 0 for 0 (a pool type's base bit), without a branch. */
    static long pagedKeyBit(int paged) {
        return (long) paged << 31;
    }

    /**
     * Owner index | {@link #PAGED_KEY_BIT} for paged pool | tag (PROTECTED_POOL stripped) << 32: the
     * block's header word 1 with two bits changed, so the fast paths make the key from the word they
     * already hold. Never 0: owner indexes start at 1.
     */
    static long key(int tag, int ownerIndex, boolean paged) {
        return key(tag, ownerIndex, paged ? PAGED_KEY_BIT : 0);
    }

    /** The same, with the pool given as its key bit ({@link #PAGED_KEY_BIT} or 0): no branch. */
    static long key(int tag, int ownerIndex, long pagedBit) {
        return ofWord1(PoolHeader.word1(ownerIndex, tag), pagedBit);
    }

    /** The key of a block whose header word 1 is {@code word1}, in the pool of {@code pagedBit}. */
    static long ofWord1(long word1, long pagedBit) {
        return (word1 & Long.MAX_VALUE) | pagedBit;
    }

    static int tagOf(long key) {
        return PoolHeader.tag(key);
    }

    static int ownerOf(long key) {
        return PoolHeader.owner(key) & 0x7FFF_FFFF;
    }

    static boolean pagedOf(long key) {
        return (key & PAGED_KEY_BIT) != 0;
    }

    void allocated(long key, long bytes) {
        Counter c = last;
        if (c.key != key) {
            c = counter(key);
        }
        ALLOCS.setOpaque(c, c.allocs + 1);
        ALLOCATED.setOpaque(c, c.allocated + bytes);
    }

    void freed(long key, long bytes) {
        Counter c = last;
        if (c.key != key) {
            c = counter(key);
        }
        FREES.setOpaque(c, c.frees + 1);
        FREED.setOpaque(c, c.freed + bytes);
    }

    /** The counter of {@code key}, made on first use; becomes the cached last one. */
    private Counter counter(long key) {
        Counter[] t = table;
        int mask = t.length - 1;
        int i = hash(key) & mask;
        Counter c;
        while ((c = t[i]) != null && c.key != key) {
            i = (i + 1) & mask;
        }
        if (c == null) {
            c = new Counter(key);
            if ((size + 1) * 4 > t.length * 3) {
                t = grow(t);
                i = hash(key) & (t.length - 1);
                while (t[i] != null) {
                    i = (i + 1) & (t.length - 1);
                }
            }
            t[i] = c;
            size++;
            published = t.clone();
        }
        last = c;
        return c;
    }

    private Counter[] grow(Counter[] old) {
        Counter[] t = new Counter[old.length * 2];
        int mask = t.length - 1;
        for (Counter c : old) {
            if (c != null) {
                int i = hash(c.key) & mask;
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = c;
            }
        }
        table = t;
        return t;
    }

    private static int hash(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Every counter, read as described above; any thread. */
    void forEach(Consumer<Row> sink) {
        for (Counter c : published) {
            if (c != null) {
                sink.accept(new Row(c.key, (long) ALLOCS.getOpaque(c), (long) FREES.getOpaque(c),
                        (long) ALLOCATED.getOpaque(c) - (long) FREED.getOpaque(c)));
            }
        }
    }
}
