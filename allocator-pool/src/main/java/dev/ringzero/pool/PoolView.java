package dev.ringzero.pool;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.SystemMemory;

/** One owner's view of the pool: every call is the engine's, with this owner. */
final class PoolView implements PoolAllocator {

    private final PoolEngine engine;
    private final OwnerState state;

    PoolView(PoolEngine engine, OwnerState state) {
        this.engine = engine;
        this.state = state;
    }

    @Override
    public int ExAllocatePoolWithTag(int poolType, long numberOfBytes, int tag) {
        int address = engine.allocate(state, poolType, numberOfBytes, tag);
        PoolEvents.allocated(state, address, poolType, numberOfBytes, tag); // off by default: a branch
        return address;
    }

    @Override
    public int ExAllocatePoolWithTagPriority(int poolType, long numberOfBytes, int tag, int priority) {
        int address = engine.allocatePriority(state, poolType, numberOfBytes, tag, priority);
        PoolEvents.allocated(state, address, poolType, numberOfBytes, tag);
        return address;
    }

    @Override
    public void ExFreePoolWithTag(int address, int tag) {
        engine.free(state, address, tag);
        PoolEvents.freed(state, address, tag);
    }

    @Override
    public long ExQueryPoolBlockSize(int address) {
        if (state.revoked()) {
            throw BugCheck.callAfterUnload(state.owner, "ExQueryPoolBlockSize", address, false);
        }
        return engine.blocks.queryBlockSize(address);
    }

    @Override
    public SystemMemory memory() {
        return engine.memory();
    }

    @Override
    public Owner owner() {
        return state.owner;
    }

    @Override
    public boolean isVerified() {
        return state.verified();
    }

    @Override
    public String toString() {
        return "PoolAllocator[" + state.owner + (state.verified() ? ", verified" : "")
                + (state.special() ? ", special pool" : "") + "]";
    }
}
