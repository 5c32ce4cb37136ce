package dev.ringzero.distribution.isolation;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;

/** Interrupts every thread in the JVM (a careless "stop everything"), the host's included, then allocates. */
public final class EveryThreadInterruptingDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("All!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != Thread.currentThread()) {
                t.interrupt();
                n++;
            }
        }
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        int failures = PoolWorkout.round(pool, TAG, () -> { }, () -> { }, () -> { });
        DbgPrint("EveryThreadInterruptingDriver: interrupted %d threads, %d allocation failures\n", n, failures);
        driverObject.setDriverUnload(d -> DbgPrint("EveryThreadInterruptingDriver: DriverUnload called\n"));
        return failures == 0 ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
}
