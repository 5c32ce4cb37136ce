package dev.ringzero.lookaside;

import dev.ringzero.api.Irql;
import dev.ringzero.api.memory.NtLayouts;

/**
 * The three families of NT lookaside routines: the header structure each one takes, and the highest
 * IRQL its initialize / delete / flush routines run at.
 */
enum ListKind {

    /** {@code ExInitializePagedLookasideList}: a {@code PAGED_LOOKASIDE_LIST}, pageable code (&le; APC_LEVEL). */
    PAGED("PagedLookasideList", NtLayouts.PAGED_LOOKASIDE_LIST.byteSize(), Irql.APC_LEVEL),

    /** {@code ExInitializeNPagedLookasideList}: an {@code NPAGED_LOOKASIDE_LIST} (&le; DISPATCH_LEVEL). */
    NPAGED("NPagedLookasideList", NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), Irql.DISPATCH_LEVEL),

    /** {@code ExInitializeLookasideListEx}: a {@code LOOKASIDE_LIST_EX} of either pool (&le; DISPATCH_LEVEL). */
    EX("LookasideListEx", NtLayouts.LOOKASIDE_LIST_EX.byteSize(), Irql.DISPATCH_LEVEL);

    private final String suffix;
    final long headerSize;
    final int maximumIrql;

    ListKind(String suffix, long headerSize, int maximumIrql) {
        this.suffix = suffix;
        this.headerSize = headerSize;
        this.maximumIrql = maximumIrql;
    }

    /** {@code ExInitializePagedLookasideList} and so on. */
    String initialize() {
        return "ExInitialize" + suffix;
    }

    String delete() {
        return "ExDelete" + suffix;
    }

    String allocate() {
        return "ExAllocateFrom" + suffix;
    }

    String free() {
        return "ExFreeTo" + suffix;
    }
}
