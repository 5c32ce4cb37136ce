package dev.ringzero.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.AllocateFunctionEx;
import dev.ringzero.api.lookaside.FreeFunctionEx;
import dev.ringzero.api.memory.PoolAllocator;
import java.lang.foreign.MemorySegment;

/** One driver's {@code nt} lookaside routines: new lists are {@link NtLookasideList}s. */
final class NtLookasideLists extends LookasideView {

    NtLookasideLists(LookasideSystem system, Owner owner, PoolAllocator pool) {
        super(system, owner, pool);
    }

    @Override
    RegisteredList newList(int address, ListKind kind, boolean paged, MemorySegment header, long blockEnd,
                           AllocateFunctionEx allocate, FreeFunctionEx free) {
        return new NtLookasideList(address, owner, pool, kind, paged, header, blockEnd, allocate, free);
    }

    @Override
    public String implementation() {
        return NtLookasideList.NAME;
    }
}
