package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;

/** Loads: allocates a block tagged {@code Good}, sets a {@code DriverUnload} that frees it. */
public final class GoodDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Good");

    private int block;

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("GoodDriver: Entering DriverEntry (%s)\n", registryPath);
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 64, TAG);
        DbgPrint("GoodDriver: block at %08X\n", block);
        driverObject.setDriverUnload(d -> {
            pool.ExFreePoolWithTag(block, TAG);
            DbgPrint("GoodDriver: DriverUnload called\n");
        });
        return NtStatus.STATUS_SUCCESS;
    }
}
