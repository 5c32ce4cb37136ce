package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;

/**
 * Loads, holds a block, and starts a system thread that throws: bug check 0x7E on that thread; the host
 * unloads the driver (its DriverUnload frees the block) and keeps serving the others.
 */
public final class ThreadFaultDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Thrd");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        int block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 16, TAG);
        driverObject.setDriverUnload(d -> {
            pool.ExFreePoolWithTag(block, TAG);
            DbgPrint("ThreadFaultDriver: DriverUnload called\n");
        });
        driverObject.PsCreateSystemThread("faulting worker", () -> {
            throw new IllegalStateException("deliberate fault on a system thread");
        });
        return NtStatus.STATUS_SUCCESS;
    }
}
