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

/** Frees a block with another tag than it was allocated with: bug check 0xC2 (BAD_POOL_CALLER). */
public final class WrongTagDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Bad!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        DbgPrint("WrongTagDriver: Entering DriverEntry\n");
        int block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 32, TAG);
        pool.ExFreePoolWithTag(block, PoolTag.fromDisplay("Oops"));
        return NtStatus.STATUS_SUCCESS;
    }
}
