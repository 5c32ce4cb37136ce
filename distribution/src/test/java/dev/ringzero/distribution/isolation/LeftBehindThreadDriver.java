package dev.ringzero.distribution.isolation;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts a plain {@code java.lang.Thread} that allocates and frees paged pool for ever, ignoring
 * interrupts, then fails its {@code DriverEntry}: the host unloads it with the thread still running.
 */
public final class LeftBehindThreadDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Lft!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        Thread t = new Thread(() -> {
            while (true) {
                int a = pool.ExAllocatePoolWithTag(PoolType.PagedPool, 100, TAG);
                pool.ExFreePoolWithTag(a, TAG);
                LockSupport.parkNanos(1_000_000); // an interrupt only wakes it early: careless, it carries on
            }
        }, "LeftBehindThreadDriver worker");
        t.start();
        DbgPrint("LeftBehindThreadDriver: worker started\n");
        return NtStatus.STATUS_UNSUCCESSFUL;
    }
}
