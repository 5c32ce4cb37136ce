package dev.ringzero.api.memory;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The x86 layouts of NT's structures: one descriptor each, so offsets are read from the layout
 * ({@code byteOffset(groupElement("Flink"))}), never written as literals. Pointers are 4 bytes
 * ({@link #POINTER}); multi-byte values are in native (little-endian) order, as on x86.
 *
 * <pre>
 * LIST_ENTRY (8)         SLIST_HEADER (8, 8-aligned, CASed as one 64-bit word)
 * +0 Flink               +0 Next      (bits  0-31)
 * +4 Blink               +4 Depth     (bits 32-47)
 *                        +6 Sequence  (bits 48-63)
 *
 * GENERAL_LOOKASIDE (0x48)
 * +00 ListHead SLIST_HEADER   +1C Type            +38 LastTotalAllocates
 * +08 Depth, +0A MaximumDepth +20 Tag             +3C LastAllocateMisses
 * +0C TotalAllocates          +24 Size            +40 Future[2]
 * +10 AllocateMisses          +28 Allocate
 * +14 TotalFrees              +2C Free
 * +18 FreeMisses              +30 ListEntry LIST_ENTRY
 *
 * PAGED_LOOKASIDE_LIST (0x68)  = GENERAL_LOOKASIDE L; FAST_MUTEX Lock__ObsoleteButDoNotDelete (0x20)
 * NPAGED_LOOKASIDE_LIST (0x50) = GENERAL_LOOKASIDE L; KSPIN_LOCK Lock__ObsoleteButDoNotDelete; pad
 * </pre>
 */
public final class NtLayouts {

    /** A 32-bit pointer: a system address, 0 for NULL. */
    public static final ValueLayout.OfInt POINTER = JAVA_INT;

    /** {@code ULONG}. */
    public static final ValueLayout.OfInt ULONG = JAVA_INT;

    /** {@code USHORT}. */
    public static final ValueLayout.OfShort USHORT = JAVA_SHORT;

    /** {@code LIST_ENTRY}: {@code Flink}, {@code Blink}. */
    public static final StructLayout LIST_ENTRY = structLayout(
            POINTER.withName("Flink"),
            POINTER.withName("Blink")).withName("LIST_ENTRY");

    /** {@code SINGLE_LIST_ENTRY} / {@code SLIST_ENTRY}: {@code Next}. */
    public static final StructLayout SINGLE_LIST_ENTRY = structLayout(
            POINTER.withName("Next")).withName("SINGLE_LIST_ENTRY");

    /** {@code SLIST_HEADER} (x86): {@code Next}, {@code Depth}, {@code Sequence} in one aligned 64-bit word. */
    public static final StructLayout SLIST_HEADER = structLayout(
            POINTER.withName("Next"),
            USHORT.withName("Depth"),
            USHORT.withName("Sequence")).withByteAlignment(8).withName("SLIST_HEADER");

    /** {@code GENERAL_LOOKASIDE} (x86, 0x48 bytes). */
    public static final StructLayout GENERAL_LOOKASIDE = structLayout(
            SLIST_HEADER.withName("ListHead"),
            USHORT.withName("Depth"),
            USHORT.withName("MaximumDepth"),
            ULONG.withName("TotalAllocates"),
            ULONG.withName("AllocateMisses"),
            ULONG.withName("TotalFrees"),
            ULONG.withName("FreeMisses"),
            ULONG.withName("Type"),
            ULONG.withName("Tag"),
            ULONG.withName("Size"),
            POINTER.withName("Allocate"),
            POINTER.withName("Free"),
            LIST_ENTRY.withName("ListEntry"),
            ULONG.withName("LastTotalAllocates"),
            ULONG.withName("LastAllocateMisses"),
            sequenceLayout(2, ULONG).withName("Future")).withName("GENERAL_LOOKASIDE");

    /** {@code FAST_MUTEX} (x86, 0x20 bytes); kept only for the header's size. */
    public static final StructLayout FAST_MUTEX = structLayout(
            JAVA_INT.withName("Count"),
            POINTER.withName("Owner"),
            ULONG.withName("Contention"),
            paddingLayout(16).withName("Event"),
            ULONG.withName("OldIrql")).withName("FAST_MUTEX");

    /** {@code PAGED_LOOKASIDE_LIST} (x86, 0x68 bytes): what the tutorial allocates from non-paged pool. */
    public static final StructLayout PAGED_LOOKASIDE_LIST = structLayout(
            GENERAL_LOOKASIDE.withName("L"),
            FAST_MUTEX.withName("Lock__ObsoleteButDoNotDelete")).withName("PAGED_LOOKASIDE_LIST");

    /** {@code NPAGED_LOOKASIDE_LIST} (x86, 0x50 bytes). */
    public static final StructLayout NPAGED_LOOKASIDE_LIST = structLayout(
            GENERAL_LOOKASIDE.withName("L"),
            ULONG.withName("Lock__ObsoleteButDoNotDelete"),
            paddingLayout(4)).withName("NPAGED_LOOKASIDE_LIST");

    /** {@code LOOKASIDE_LIST_EX} (x86): a {@code GENERAL_LOOKASIDE_POOL}, the same 0x48 bytes. */
    public static final StructLayout LOOKASIDE_LIST_EX = structLayout(
            GENERAL_LOOKASIDE.withName("L")).withName("LOOKASIDE_LIST_EX");

    /** {@code LOOKASIDE_MINIMUM_BLOCK_SIZE}: room for the S-list link a cached entry holds. */
    public static final int LOOKASIDE_MINIMUM_BLOCK_SIZE = 4;

    /** {@code MEMORY_ALLOCATION_ALIGNMENT} of our pool (16, like x64, so 64-bit CASes are aligned). */
    public static final int MEMORY_ALLOCATION_ALIGNMENT = 16;

    private NtLayouts() {
    }

    /** The offset of a named field of a struct layout: {@code FIELD_OFFSET(type, field)}. */
    public static long FIELD_OFFSET(MemoryLayout type, String field) {
        return type.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /**
     * {@code CONTAINING_RECORD(address, type, field)}: the address of the structure of layout
     * {@code type} whose field {@code field} is at {@code address}.
     */
    public static int CONTAINING_RECORD(int address, MemoryLayout type, String field) {
        return address - (int) FIELD_OFFSET(type, field);
    }
}
