package dev.ringzero.lookaside;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.ringzero.api.memory.NtLayouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

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
 * statistics and {@code Depth} is a hint (see {@link NtLookasideList} for why the races are benign).
 * Plain {@code int}/{@code short} accesses cannot tear. {@code ListHead} is only touched through
 * {@code SLists}' volatile reads and CASes.
 */
final class LookasideHeader {

    static final StructLayout LAYOUT = NtLayouts.GENERAL_LOOKASIDE;

    private static final VarHandle LIST_HEAD_DEPTH = LAYOUT.varHandle(groupElement("ListHead"), groupElement("Depth"));
    private static final VarHandle DEPTH = field("Depth");
    private static final VarHandle MAXIMUM_DEPTH = field("MaximumDepth");
    private static final VarHandle TOTAL_ALLOCATES = field("TotalAllocates");
    private static final VarHandle ALLOCATE_MISSES = field("AllocateMisses");
    private static final VarHandle TOTAL_FREES = field("TotalFrees");
    private static final VarHandle FREE_MISSES = field("FreeMisses");
    private static final VarHandle TYPE = field("Type");
    private static final VarHandle TAG = field("Tag");
    private static final VarHandle SIZE = field("Size");
    private static final VarHandle ALLOCATE = field("Allocate");
    private static final VarHandle FREE = field("Free");
    private static final VarHandle FLINK = LAYOUT.varHandle(groupElement("ListEntry"), groupElement("Flink"));
    private static final VarHandle BLINK = LAYOUT.varHandle(groupElement("ListEntry"), groupElement("Blink"));
    private static final VarHandle LAST_TOTAL_ALLOCATES = field("LastTotalAllocates");
    private static final VarHandle LAST_ALLOCATE_MISSES = field("LastAllocateMisses");

    private LookasideHeader() {
    }

    private static VarHandle field(String name) {
        return LAYOUT.varHandle(groupElement(name));
    }

    /**
     * {@code QueryDepthSList(&ListHead)} as NT's inline routines do it: a plain read of the S-list
     * header's {@code Depth} half-word, racing with the CASes on the whole word (a stale value only
     * moves one free between the list and the pool, which NT accepts too).
     */
    static int cachedEntries(MemorySegment h) {
        return Short.toUnsignedInt((short) LIST_HEAD_DEPTH.get(h, 0L));
    }

    static int depth(MemorySegment h) {
        return Short.toUnsignedInt((short) DEPTH.get(h, 0L));
    }

    static void setDepth(MemorySegment h, int depth) {
        DEPTH.set(h, 0L, (short) depth);
    }

    static int maximumDepth(MemorySegment h) {
        return Short.toUnsignedInt((short) MAXIMUM_DEPTH.get(h, 0L));
    }

    static void setMaximumDepth(MemorySegment h, int maximumDepth) {
        MAXIMUM_DEPTH.set(h, 0L, (short) maximumDepth);
    }

    static int totalAllocates(MemorySegment h) {
        return (int) TOTAL_ALLOCATES.get(h, 0L);
    }

    static void setTotalAllocates(MemorySegment h, int v) {
        TOTAL_ALLOCATES.set(h, 0L, v);
    }

    static int allocateMisses(MemorySegment h) {
        return (int) ALLOCATE_MISSES.get(h, 0L);
    }

    static void setAllocateMisses(MemorySegment h, int v) {
        ALLOCATE_MISSES.set(h, 0L, v);
    }

    static int totalFrees(MemorySegment h) {
        return (int) TOTAL_FREES.get(h, 0L);
    }

    static void setTotalFrees(MemorySegment h, int v) {
        TOTAL_FREES.set(h, 0L, v);
    }

    static int freeMisses(MemorySegment h) {
        return (int) FREE_MISSES.get(h, 0L);
    }

    static void setFreeMisses(MemorySegment h, int v) {
        FREE_MISSES.set(h, 0L, v);
    }

    static int type(MemorySegment h) {
        return (int) TYPE.get(h, 0L);
    }

    static int tag(MemorySegment h) {
        return (int) TAG.get(h, 0L);
    }

    static int size(MemorySegment h) {
        return (int) SIZE.get(h, 0L);
    }

    static int lastTotalAllocates(MemorySegment h) {
        return (int) LAST_TOTAL_ALLOCATES.get(h, 0L);
    }

    static void setLastTotalAllocates(MemorySegment h, int v) {
        LAST_TOTAL_ALLOCATES.set(h, 0L, v);
    }

    static int lastAllocateMisses(MemorySegment h) {
        return (int) LAST_ALLOCATE_MISSES.get(h, 0L);
    }

    static void setLastAllocateMisses(MemorySegment h, int v) {
        LAST_ALLOCATE_MISSES.set(h, 0L, v);
    }

    /**
     * What {@code ExInitialize...LookasideList} writes, field by field as NT does (the S-list head is
     * initialized separately, {@code Future} and the obsolete lock are left alone).
     */
    static void initialize(MemorySegment h, int depth, int maximumDepth, int type, int tag, int size) {
        setDepth(h, depth);
        setMaximumDepth(h, maximumDepth);
        setTotalAllocates(h, 0);
        setAllocateMisses(h, 0);
        setTotalFrees(h, 0);
        setFreeMisses(h, 0);
        TYPE.set(h, 0L, type);
        TAG.set(h, 0L, tag);
        SIZE.set(h, 0L, size);
        ALLOCATE.set(h, 0L, 0);
        FREE.set(h, 0L, 0);
        FLINK.set(h, 0L, 0);
        BLINK.set(h, 0L, 0);
        setLastTotalAllocates(h, 0);
        setLastAllocateMisses(h, 0);
    }
}
