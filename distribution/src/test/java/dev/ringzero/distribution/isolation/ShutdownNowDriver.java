package dev.ringzero.distribution.isolation;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Stops its own executor with {@code shutdownNow()} while its tasks allocate: the interrupts land mid-allocation. */
public final class ShutdownNowDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Shn!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        AtomicInteger failures = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        CountDownLatch bothAllocating = new CountDownLatch(2);   // the stop comes while both threads are at work
        for (int i = 0; i < 8; i++) {
            workers.execute(() -> {
                bothAllocating.countDown();
                for (int k = 0; k < 20; k++) {
                    failures.addAndGet(PoolWorkout.round(pool, TAG, () -> { }, () -> { }, () -> { }));
                }
            });
        }
        try {
            if (!bothAllocating.await(60, TimeUnit.SECONDS)) {
                return NtStatus.STATUS_UNSUCCESSFUL;
            }
            workers.shutdownNow();
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                return NtStatus.STATUS_UNSUCCESSFUL;
            }
        } catch (InterruptedException e) {
            return NtStatus.STATUS_UNSUCCESSFUL;
        }
        DbgPrint("ShutdownNowDriver: executor stopped with shutdownNow(), %d allocation failures\n", failures.get());
        driverObject.setDriverUnload(d -> DbgPrint("ShutdownNowDriver: DriverUnload called\n"));
        return failures.get() == 0 ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
}
