package dev.ringzero.spi.lookaside;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.ringzero.api.memory.NtLayouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The descriptor of a lookaside list's header in memory: NT's x86 {@code GENERAL_LOOKASIDE}, the
 * first 0x48 bytes of every {@code PAGED_LOOKASIDE_LIST} (0x68), {@code NPAGED_LOOKASIDE_LIST} (0x50)
 * and {@code LOOKASIDE_LIST_EX} (0x48). Offsets come from {@link NtLayouts#GENERAL_LOOKASIDE}:
 * <pre>
 * +00 ListHead       SLIST_HEADER (Next 32 | Depth 16 | Sequence 16), CASed by {@link dev.ringzero.api.memory.SLists}
 * +08 Depth          USHORT  the tuned cap on cached entries (4; 0 under the verifier)
 * +0A MaximumDepth   USHORT  the ceiling for tuning (256)
 * +0C TotalAllocates ULONG   +10 AllocateMisses ULONG
 * +14 TotalFrees     ULONG   +18 FreeMisses     ULONG
 * +1C Type           ULONG   pool type | flags
 * +20 Tag            ULONG   +24 Size ULONG (entry size)
 * +28 Allocate       PVOID   +2C Free PVOID        (0 here: the routines live in the list's handle)
 * +30 ListEntry      LIST_ENTRY                    (0 here: the registry links the lists)
 * +38 LastTotalAllocates ULONG  +3C LastAllocateMisses ULONG   (the tuner's snapshots)
 * +40 Future[2]
 * </pre>
 *
 * <h2>Memory ordering</h2>
 * Every field but {@code ListHead} is read and written with plain accesses, by the list's users and by
 * the balance-set manager alike, exactly as NT's inline routines and its scanner do: the counters are
 * statistics and {@code Depth} is a hint (the {@code nt} list's class comment says why the races are benign).
 * Plain {@code int}/{@code short} accesses cannot tear. {@code ListHead} is only touched through
 * {@code SLists}' and {@link SListChains}' volatile reads and CASes.
 *
 * <h2>Who writes what (the SPI's rule)</h2>
 * The executive writes every field at initialization ({@link #initialize}), {@code Depth} when it tunes the list
 * or the debugger sets it, and the tuner's snapshots. A {@link LookasideCache} reads {@code Depth}, {@code Size},
 * {@code Type} and {@code Tag}, and writes only the four counters ({@code TotalAllocates}, {@code AllocateMisses},
 * {@code TotalFrees}, {@code FreeMisses}) on its hit paths or when {@linkplain LookasideCache#fold() folding}.
 */
public final class LookasideHeader {

    public static final StructLayout LAYOUT = NtLayouts.GENERAL_LOOKASIDE;

    /*
     * Fields are read and written at the layout's offsets through the *unaligned* value layouts: the
     * header is 8-byte aligned (initialization refuses anything else), so the aligned layouts' per-access
     * alignment check could never fail and would only add instructions to the nt hit path.
     */
    private static final long DEPTH = offset("Depth");
    private static final long MAXIMUM_DEPTH = offset("MaximumDepth");
    private static final long TOTAL_ALLOCATES = offset("TotalAllocates");
    private static final long ALLOCATE_MISSES = offset("AllocateMisses");
    private static final long TOTAL_FREES = offset("TotalFrees");
    private static final long FREE_MISSES = offset("FreeMisses");
    private static final long TYPE = offset("Type");
    private static final long TAG = offset("Tag");
    private static final long SIZE = offset("Size");
    private static final long ALLOCATE = offset("Allocate");
    private static final long FREE = offset("Free");
    private static final long FLINK = LAYOUT.byteOffset(groupElement("ListEntry"), groupElement("Flink"));
    private static final long BLINK = LAYOUT.byteOffset(groupElement("ListEntry"), groupElement("Blink"));
    private static final long LAST_TOTAL_ALLOCATES = offset("LastTotalAllocates");
    private static final long LAST_ALLOCATE_MISSES = offset("LastAllocateMisses");

    private LookasideHeader() {
    }

    private static long offset(String name) {
        return LAYOUT.byteOffset(groupElement(name));
    }

    private static int getInt(MemorySegment h, long offset) {
        return h.get(JAVA_INT_UNALIGNED, offset);
    }

    private static void setInt(MemorySegment h, long offset, int v) {
        h.set(JAVA_INT_UNALIGNED, offset, v);
    }

    private static int getUShort(MemorySegment h, long offset) {
        return Short.toUnsignedInt(h.get(JAVA_SHORT_UNALIGNED, offset));
    }

    public static int depth(MemorySegment h) {
        return getUShort(h, DEPTH);
    }

    public static void setDepth(MemorySegment h, int depth) {
        h.set(JAVA_SHORT_UNALIGNED, DEPTH, (short) depth);
    }

    public static int maximumDepth(MemorySegment h) {
        return getUShort(h, MAXIMUM_DEPTH);
    }

    public static void setMaximumDepth(MemorySegment h, int maximumDepth) {
        h.set(JAVA_SHORT_UNALIGNED, MAXIMUM_DEPTH, (short) maximumDepth);
    }

    public static int totalAllocates(MemorySegment h) {
        return getInt(h, TOTAL_ALLOCATES);
    }

    public static void setTotalAllocates(MemorySegment h, int v) {
        setInt(h, TOTAL_ALLOCATES, v);
    }

    public static int allocateMisses(MemorySegment h) {
        return getInt(h, ALLOCATE_MISSES);
    }

    public static void setAllocateMisses(MemorySegment h, int v) {
        setInt(h, ALLOCATE_MISSES, v);
    }

    public static int totalFrees(MemorySegment h) {
        return getInt(h, TOTAL_FREES);
    }

    public static void setTotalFrees(MemorySegment h, int v) {
        setInt(h, TOTAL_FREES, v);
    }

    public static int freeMisses(MemorySegment h) {
        return getInt(h, FREE_MISSES);
    }

    public static void setFreeMisses(MemorySegment h, int v) {
        setInt(h, FREE_MISSES, v);
    }

    public static int type(MemorySegment h) {
        return getInt(h, TYPE);
    }

    public static int tag(MemorySegment h) {
        return getInt(h, TAG);
    }

    public static int size(MemorySegment h) {
        return getInt(h, SIZE);
    }

    public static int lastTotalAllocates(MemorySegment h) {
        return getInt(h, LAST_TOTAL_ALLOCATES);
    }

    public static void setLastTotalAllocates(MemorySegment h, int v) {
        setInt(h, LAST_TOTAL_ALLOCATES, v);
    }

    public static int lastAllocateMisses(MemorySegment h) {
        return getInt(h, LAST_ALLOCATE_MISSES);
    }

    public static void setLastAllocateMisses(MemorySegment h, int v) {
        setInt(h, LAST_ALLOCATE_MISSES, v);
    }

    /**
     * What {@code ExInitialize...LookasideList} writes, field by field as NT does (the S-list head is
     * initialized separately, {@code Future} and the obsolete lock are left alone).
     */
    public static void initialize(MemorySegment h, int depth, int maximumDepth, int type, int tag, int size) {
        setDepth(h, depth);
        setMaximumDepth(h, maximumDepth);
        setTotalAllocates(h, 0);
        setAllocateMisses(h, 0);
        setTotalFrees(h, 0);
        setFreeMisses(h, 0);
        setInt(h, TYPE, type);
        setInt(h, TAG, tag);
        setInt(h, SIZE, size);
        setInt(h, ALLOCATE, 0);
        setInt(h, FREE, 0);
        setInt(h, FLINK, 0);
        setInt(h, BLINK, 0);
        setLastTotalAllocates(h, 0);
        setLastAllocateMisses(h, 0);
    }
}
