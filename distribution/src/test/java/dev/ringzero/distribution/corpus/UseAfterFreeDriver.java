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

/**
 * Reads its block after freeing it, in special pool (the corpus run puts its tag {@code Uaf!} there with
 * {@code --special-pool-tag Uaf?}): bug check 0xD5 (DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL).
 */
public final class UseAfterFreeDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Uaf!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        DbgPrint("UseAfterFreeDriver: Entering DriverEntry\n");
        int block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 32, TAG);
        java.lang.foreign.MemorySegment bytes = memory.resolve(block, 32);
        pool.ExFreePoolWithTag(block, TAG);
        DbgPrint("UseAfterFreeDriver: read %08X\n", bytes.get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
        return NtStatus.STATUS_SUCCESS;
    }
}
