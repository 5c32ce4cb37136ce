package dev.ringzero.distribution.exits;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;

/** Allocates a block, then calls {@code System.exit(0)} in DriverEntry: the block must come back at its unload. */
public final class ExitDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        int block = pool.ExAllocatePoolWithTag(PoolType.PagedPool, 4096, PoolTag.fromDisplay("Exit"));
        DbgPrint("ExitDriver: block at %08X; System.exit(0)\n", block);
        System.exit(0);
        DbgPrint("ExitDriver: still running after System.exit\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
