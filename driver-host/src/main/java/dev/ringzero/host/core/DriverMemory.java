package dev.ringzero.host.core;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemorySegment;

/**
 * One driver's handle on the system address space (and, through it, its {@code Lists} and {@code SLists}):
 * the executive's, until the driver is unloaded; then every call is
 * {@link dev.ringzero.api.BugCheck#callAfterUnload 0xCE} charged to it. Segments it resolved before stay what they were:
 * a bounded view of a block, which its unload frees.
 */
final class DriverMemory implements SystemMemory {

    private final SystemMemory memory;
    private final Owner owner;
    private final Revocation revocation;

    DriverMemory(SystemMemory memory, Owner owner, Revocation revocation) {
        this.memory = memory;
        this.owner = owner;
        this.revocation = revocation;
    }

    @Override
    public MemorySegment resolve(int address) {
        revocation.check("SystemMemory.resolve", address, false);
        return memory.resolve(address);
    }

    @Override
    public MemorySegment resolve(int address, long byteSize) {
        revocation.check("SystemMemory.resolve", address, false);
        return memory.resolve(address, byteSize);
    }

    @Override
    public int addressOf(MemorySegment segment) {
        revocation.check("SystemMemory.addressOf", 0, false);
        return memory.addressOf(segment);
    }

    @Override
    public int readInt(int address) {
        revocation.check("SystemMemory.readInt", address, false);
        return memory.readInt(address);
    }

    @Override
    public void writeInt(int address, int value) {
        revocation.check("SystemMemory.writeInt", address, true);
        memory.writeInt(address, value);
    }

    @Override
    public int peekInt(int address) {
        revocation.check("SystemMemory.peekInt", address, false);
        return memory.peekInt(address);
    }

    @Override
    public boolean isValid(int address) {
        revocation.check("SystemMemory.isValid", address, false);
        return memory.isValid(address);
    }

    @Override
    public String toString() {
        return "SystemMemory[" + owner + (revocation.revoked() ? ", revoked" : "") + "]";
    }
}
