package dev.ringzero.distribution.isolation;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Interrupts its own thread before, between and after allocations of every size in both pools, then lets
 * a thread of its own interrupt it without pause while it allocates. Loads; frees everything.
 */
public final class InterruptingDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Int!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        Runnable interrupt = () -> Thread.currentThread().interrupt();
        Runnable nothing = () -> { };
        int failures = PoolWorkout.round(pool, TAG, interrupt, nothing, nothing)
                + PoolWorkout.round(pool, TAG, nothing, interrupt, nothing)
                + PoolWorkout.round(pool, TAG, nothing, nothing, interrupt);

        Thread self = Thread.currentThread();
        AtomicBoolean done = new AtomicBoolean();
        Thread interrupter = new Thread(() -> {
            while (!done.get()) {
                self.interrupt();
                Thread.onSpinWait();
            }
        }, "InterruptingDriver interrupter");
        interrupter.start();
        for (int i = 0; i < 10; i++) {
            failures += PoolWorkout.round(pool, TAG, nothing, nothing, nothing);
        }
        done.set(true);
        try {
            interrupter.join();
        } catch (InterruptedException e) {
            try {
                interrupter.join(); // our own interrupt, not a request to stop waiting
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
        }
        Thread.interrupted();
        DbgPrint("InterruptingDriver: %d allocation failures while interrupted\n", failures);
        driverObject.setDriverUnload(d -> DbgPrint("InterruptingDriver: DriverUnload called\n"));
        return failures == 0 ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
}
