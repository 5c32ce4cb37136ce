package dev.ringzero.bench.goals;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.library.LookasideLibrary;
import java.lang.foreign.ValueLayout;

/**
 * Our side of the goals run, through the public entry point a Java user takes ({@link LookasideLibrary}): the
 * real pool, the lookaside system with a frozen tuner, lists of 64-byte entries.
 */
final class Ours implements AutoCloseable {

    static final Owner OWNER = new Owner("GoalsBench", 1);
    static final int TAG = PoolTag.of("nMgR"); // 'RgMn' as it reads in memory

    final LookasideLibrary library = LookasideLibrary.open(OWNER, null, Peers.FROZEN::read);
    final PoolAllocator pool = library.pool();
    final SystemMemory memory = library.executivePool().memory();

    LookasideLists lists(String implementation) {
        return library.lists(implementation);
    }

    /** A non-paged list of 64-byte entries; {@code depth} > 0 overrides NT's initial Depth 4 (the tuner never ticks). */
    int newList(LookasideLists lists, int depth) {
        int header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lists.ExInitializeNPagedLookasideList(header, null, null, 0, Peers.BLOCK, TAG, 0);
        if (depth > 0) {
            int offset = (int) NtLayouts.FIELD_OFFSET(NtLayouts.GENERAL_LOOKASIDE, "Depth");
            memory.resolve(header + offset, 2).set(ValueLayout.JAVA_SHORT, 0, (short) depth);
        }
        return header;
    }

    @Override
    public void close() {
        library.close();
    }
}
