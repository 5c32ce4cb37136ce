package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemorySegment;

/**
 * One driver's handle on the system address space (and, through it, its {@code Lists} and {@code SLists}):
 * the executive's, until the driver is unloaded; then every call is
 * {@link BugCheck#callAfterUnload 0xCE} charged to it. Segments it resolved before stay what they were:
 * a bounded view of a block, which its unload frees.
 */
final class DriverMemory implements SystemMemory {

    private final SystemMemory memory;
    private final Owner owner;
    /** Set once, at unload; volatile so a thread the driver left behind sees it at its next call. */
    private volatile boolean revoked;

    DriverMemory(SystemMemory memory, Owner owner) {
        this.memory = memory;
        this.owner = owner;
    }

    void revoke() {
        revoked = true;
    }

    private void check(String routine, int address, boolean write) {
        if (revoked) {
            throw BugCheck.callAfterUnload(owner, routine, address, write);
        }
    }

    @Override
    public MemorySegment resolve(int address) {
        check("SystemMemory.resolve", address, false);
        return memory.resolve(address);
    }

    @Override
    public MemorySegment resolve(int address, long byteSize) {
        check("SystemMemory.resolve", address, false);
        return memory.resolve(address, byteSize);
    }

    @Override
    public int addressOf(MemorySegment segment) {
        check("SystemMemory.addressOf", 0, false);
        return memory.addressOf(segment);
    }

    @Override
    public int readInt(int address) {
        check("SystemMemory.readInt", address, false);
        return memory.readInt(address);
    }

    @Override
    public void writeInt(int address, int value) {
        check("SystemMemory.writeInt", address, true);
        memory.writeInt(address, value);
    }

    @Override
    public int peekInt(int address) {
        check("SystemMemory.peekInt", address, false);
        return memory.peekInt(address);
    }

    @Override
    public boolean isValid(int address) {
        check("SystemMemory.isValid", address, false);
        return memory.isValid(address);
    }

    @Override
    public String toString() {
        return "SystemMemory[" + owner + (revoked ? ", revoked" : "") + "]";
    }
}
