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

/** Allocates two blocks and never frees them; it has a DriverUnload, so it unloads: under the verifier, bug check 0xC4/0x62. */
public final class LeakyDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Bad!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        DbgPrint("LeakyDriver: Entering DriverEntry\n");
        pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 48, TAG);
        pool.ExAllocatePoolWithTag(PoolType.PagedPool, 80, PoolTag.fromDisplay("Lk2!"));
        driverObject.setDriverUnload(d -> DbgPrint("LeakyDriver: DriverUnload forgets its blocks\n"));
        return NtStatus.STATUS_SUCCESS;
    }
}
