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

/** Frees the same block twice: bug check 0xC2 (BAD_POOL_CALLER). */
public final class DoubleFreeDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Bad!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        DbgPrint("DoubleFreeDriver: Entering DriverEntry\n");
        int block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 32, TAG);
        pool.ExFreePoolWithTag(block, TAG);
        pool.ExFreePoolWithTag(block, TAG);
        return NtStatus.STATUS_SUCCESS;
    }
}
