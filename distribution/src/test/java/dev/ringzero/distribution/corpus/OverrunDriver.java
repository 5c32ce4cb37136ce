package dev.ringzero.distribution.corpus;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;

/** Writes one int past the end of its block (through the block's segment) in special pool: bug check 0xD6 (DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION). */
public final class OverrunDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Bad!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        DbgPrint("OverrunDriver: Entering DriverEntry\n");
        int block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 32, TAG);
        java.lang.foreign.MemorySegment bytes = memory.resolve(block, 32);
        bytes.set(java.lang.foreign.ValueLayout.JAVA_INT, 32, 0xDEADBEEF);   // one int past the end
        pool.ExFreePoolWithTag(block, TAG);
        return NtStatus.STATUS_SUCCESS;
    }
}
