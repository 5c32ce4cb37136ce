package dev.ringzero.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.AllocateFunctionEx;
import dev.ringzero.api.lookaside.FreeFunctionEx;
import dev.ringzero.api.memory.PoolAllocator;
import java.lang.foreign.MemorySegment;

/** One driver's {@code magazine} lookaside routines: new lists are {@link MagazineLookasideList}s. */
final class MagazineLookasideLists extends LookasideView {

    MagazineLookasideLists(LookasideSystem system, Owner owner, PoolAllocator pool) {
        super(system, owner, pool);
    }

    @Override
    RegisteredList newList(int address, ListKind kind, boolean paged, MemorySegment header, long blockEnd,
                           AllocateFunctionEx allocate, FreeFunctionEx free) {
        return new MagazineLookasideList(system, address, owner, pool, kind, paged, header, blockEnd, allocate, free);
    }

    @Override
    public String implementation() {
        return MagazineLookasideList.NAME;
    }
}
