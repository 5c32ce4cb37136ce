package dev.ringzero.pool;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ringzero.api.memory.NtLayouts;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The descriptor of a pool block's header: Ringzero's {@code POOL_HEADER}.
 *
 * <p>A small block (up to {@link SizeClasses#POOL_MAX_ALLOC} bytes) is preceded in memory by this
 * 16-byte header, as an NT block is preceded by its own; the tag is the {@code ULONG} right before
 * the block, where x86 NT keeps it. A page-aligned block (whole pages) has no room for a header in
 * front of it: its two header words live in the chunk's big-page table instead (NT's
 * {@code PoolBigPageTable}), a huge or special-pool block keeps them in its own record. Either way
 * every block's header is the same pair of 64-bit words, so the checks at free are one piece of code.
 *
 * <pre>
 * POOL_HEADER (16 bytes, 16-aligned; the block starts right after it)
 *
 *  word 0  +0  ULONG   NumberOfBytes   the bytes asked for (what the block's segments are bounded to)
 *          +4  USHORT  PoolType        the caller's pool type + 1 (low 12 bits); 0 = free (NT's rule)
 *          +6  USHORT  Flags           0x1 LOOKASIDE: holds a live lookaside list
 *                                      0x2 SITE: the allocation site is recorded (verified owner)
 *  word 1  +8  ULONG   OwnerIndex      the owner's index in the pool's owner table (never 0)
 *         +12  ULONG   PoolTag         the tag as allocated
 * </pre>
 *
 * A header of all zeroes was never handed out; a zero {@code PoolType} with a non-zero
 * {@code NumberOfBytes} is a block that was freed (so a second free is a double free, not a wild
 * one). Headers are written and read by plain accesses: the block's address travels from the
 * allocating thread to the freeing one through the driver's own synchronization, which orders them.
 * The words are accessed whole, in native (little-endian) order; the shifts come from the layout.
 */
final class PoolHeader {

    /** The header layout. */
    static final StructLayout POOL_HEADER = structLayout(
            JAVA_INT.withName("NumberOfBytes"),
            JAVA_SHORT.withName("PoolType"),
            JAVA_SHORT.withName("Flags"),
            JAVA_INT.withName("OwnerIndex"),
            JAVA_INT.withName("PoolTag")).withByteAlignment(16).withName("POOL_HEADER");

    /** {@code sizeof(POOL_HEADER)}. */
    static final int SIZE = (int) POOL_HEADER.byteSize();

    /** Offsets of the two words, from the block's start (negative: the header precedes it). */
    static final long WORD0 = NtLayouts.FIELD_OFFSET(POOL_HEADER, "NumberOfBytes") - SIZE;
    static final long WORD1 = NtLayouts.FIELD_OFFSET(POOL_HEADER, "OwnerIndex") - SIZE;

    /**
     * A header word, as accessed. Headers are always 8-aligned (16 in system and native terms alike);
     * the unaligned layout only spares the hot paths the alignment check on every access.
     */
    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    static final int TYPE_SHIFT = shift("PoolType", "NumberOfBytes");
    static final int FLAGS_SHIFT = shift("Flags", "NumberOfBytes");
    static final int TAG_SHIFT = shift("PoolTag", "OwnerIndex");

    static final int FLAG_LOOKASIDE = 0x1;
    static final int FLAG_SITE = 0x2;

    /** The bits of a pool type the header keeps. */
    static final int TYPE_BITS = 0xFFF;

    private static final long TYPE_MASK = 0xFFFFL << TYPE_SHIFT;
    private static final long FLAGS_MASK = 0xFFFFL << FLAGS_SHIFT;

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("the pool's header words assume a little-endian machine");
        }
    }

    private PoolHeader() {
    }

    static long word0(long numberOfBytes, int poolType, int flags) {
        return (numberOfBytes & 0xFFFF_FFFFL)
                | ((long) ((poolType & TYPE_BITS) + 1) << TYPE_SHIFT)
                | ((long) (flags & 0xFFFF) << FLAGS_SHIFT);
    }

    static long word1(int ownerIndex, int tag) {
        return (ownerIndex & 0xFFFF_FFFFL) | ((long) tag << TAG_SHIFT);
    }

    /** The bytes asked for. */
    static long numberOfBytes(long word0) {
        return word0 & 0xFFFF_FFFFL;
    }

    /** The stored type: pool type + 1, 0 when free. */
    static int storedType(long word0) {
        return (int) ((word0 & TYPE_MASK) >>> TYPE_SHIFT);
    }

    static boolean isLive(long word0) {
        return (word0 & TYPE_MASK) != 0;
    }

    /** Live and without flags: the usual block at free, which needs no mark cleared. */
    static boolean isLiveUnmarked(long word0) {
        return notLiveUnmarked(word0) == 0;
    }

    /** 0 exactly when {@link #isLiveUnmarked}, computed without a branch (for the fast free's single test). */
    static long notLiveUnmarked(long word0) {
        return (word0 & FLAGS_MASK) | (((word0 & TYPE_MASK) - 1) >> 63);
    }

    /** The pool type the block was allocated with (meaningful while live). */
    static int poolType(long word0) {
        return storedType(word0) - 1;
    }

    static int flags(long word0) {
        return (int) ((word0 & FLAGS_MASK) >>> FLAGS_SHIFT);
    }

    static long withFlags(long word0, int flags) {
        return (word0 & ~FLAGS_MASK) | ((long) (flags & 0xFFFF) << FLAGS_SHIFT);
    }

    /** The header of the same block once freed: type and flags cleared, size kept. */
    static long freed(long word0) {
        return word0 & ~(TYPE_MASK | FLAGS_MASK);
    }

    static int owner(long word1) {
        return (int) word1;
    }

    static int tag(long word1) {
        return (int) (word1 >>> TAG_SHIFT);
    }

    private static int shift(String field, String wordStart) {
        return 8 * (int) (NtLayouts.FIELD_OFFSET(POOL_HEADER, field) - NtLayouts.FIELD_OFFSET(POOL_HEADER, wordStart));
    }
}
