package dev.ringzero.distribution.containment;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.lang.foreign.MemorySegment;

/**
 * Widens the segment of its own 16-byte block with {@code reinterpret} to write over the neighbouring block:
 * without native access the call itself fails ({@code IllegalCallerException}), nothing is written.
 */
public final class ReinterpretDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        int tag = PoolTag.fromDisplay("Rint");
        int mine = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 16, tag);
        int neighbour = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 16, tag);
        DbgPrint("ReinterpretDriver: block at %08X, its neighbour at %08X; widening mine to 64 bytes\n", mine, neighbour);
        MemorySegment block = pool.memory().resolve(mine, 16);
        block.reinterpret(64).fill((byte) 0x41);
        DbgPrint("ReinterpretDriver: REACHED the neighbouring block\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
