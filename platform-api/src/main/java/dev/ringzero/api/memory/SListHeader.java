package dev.ringzero.api.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The {@code SLIST_HEADER} word, x86 NT's: {@code Next} (bits 0-31, the first entry's address),
 * {@code Depth} (32-47, entries on the list, modulo 65 536) and {@code Sequence} (48-63, advanced by every
 * push). Every S-list operation — {@link SLists}' single-entry ones and the lookaside lists' batch ones —
 * reads the word with {@link #read}, computes the next one here and installs it with {@link #replace}, so
 * they all linearize on the same header. See {@link SLists} for the algorithm and why a push alone advances
 * {@code Sequence}.
 *
 * <p>The word is read with volatile semantics and replaced by a compare-and-set (volatile semantics too):
 * a plain write made before {@link #replace} (an entry's link) is visible to any thread that reads the
 * word after it.
 *
 * @since 1.3
 */
public final class SListHeader {

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final long NEXT_MASK = 0xFFFF_FFFFL;
    private static final int DEPTH_SHIFT = 32;
    private static final int SEQUENCE_SHIFT = 48;
    private static final long SEQUENCE_MASK = 0xFFFFL << SEQUENCE_SHIFT;

    private SListHeader() {
    }

    /** The word at offset 0 of {@code header} (an 8-byte aligned segment), read with volatile semantics. */
    public static long read(MemorySegment header) {
        return (long) WORD.getVolatile(header, 0L);
    }

    /** Replaces the word {@code expected} with {@code updated} in one compare-and-set; false when another thread got there first. */
    public static boolean replace(MemorySegment header, long expected, long updated) {
        return WORD.compareAndSet(header, 0L, expected, updated);
    }

    /** Writes {@code word} with volatile semantics ({@code InitializeSListHead}). */
    public static void write(MemorySegment header, long word) {
        WORD.setVolatile(header, 0L, word);
    }

    /** {@code Next}: the first entry's address, 0 when the list is empty. */
    public static int next(long word) {
        return (int) word;
    }

    /** {@code Depth}, modulo 65 536. */
    public static int depth(long word) {
        return (int) ((word >>> DEPTH_SHIFT) & 0xFFFF);
    }

    /** {@code Sequence}. */
    public static int sequence(long word) {
        return (int) (word >>> SEQUENCE_SHIFT);
    }

    /** The word after {@code count} entries, {@code first} the new first one, were pushed onto {@code word}'s list: {@code Sequence} advances by one. */
    public static long pushed(long word, int first, int count) {
        return (first & NEXT_MASK)
                | (((depth(word) + count) & 0xFFFFL) << DEPTH_SHIFT)
                | (((sequence(word) + 1) & 0xFFFFL) << SEQUENCE_SHIFT);
    }

    /** The word after {@code count} entries were popped off {@code word}'s list, {@code next} the new first one: {@code Sequence} kept. */
    public static long popped(long word, int next, int count) {
        return (next & NEXT_MASK)
                | (((depth(word) - count) & 0xFFFFL) << DEPTH_SHIFT)
                | (word & SEQUENCE_MASK);
    }

    /** The word of {@code word}'s list flushed: no entry, {@code Depth} 0, {@code Sequence} kept (the x86 rule). */
    public static long flushed(long word) {
        return word & SEQUENCE_MASK;
    }

    /**
     * {@code InterlockedPushListSList} on {@code header}: pushes the chain {@code first -> ... -> last} of
     * {@code count} entries, already linked through their first four bytes except {@code last}, whose link
     * is written here (plain: published by the compare-and-set); returns the previous first entry. A single
     * push is a chain of one.
     */
    public static int pushChain(MemorySegment header, SystemMemory memory, int first, int last, int count) {
        while (true) {
            long old = read(header);
            memory.writeInt(last, next(old));
            if (replace(header, old, pushed(old, first, count))) {
                return next(old);
            }
        }
    }
}
