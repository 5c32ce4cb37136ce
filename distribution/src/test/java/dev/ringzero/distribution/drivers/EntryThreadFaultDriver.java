package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.SystemThread;
import java.time.Duration;

/**
 * Starts a system thread that throws and waits for it inside {@code DriverEntry}, so the thread's 0x7E
 * is reported while the driver is still loading; DriverEntry then returns success. The host must still
 * unload it once DriverEntry is done (a fault during the load used to leave the driver loaded).
 */
public final class EntryThreadFaultDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        driverObject.setDriverUnload(d -> DbgPrint("EntryThreadFaultDriver: DriverUnload called\n"));
        SystemThread worker = driverObject.PsCreateSystemThread("faulting worker", () -> {
            throw new IllegalStateException("deliberate fault on a system thread, during DriverEntry");
        });
        try {
            worker.join(Duration.ofSeconds(30)); // the fault is reported on the worker before it ends; sized for a loaded machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DbgPrint("EntryThreadFaultDriver: DriverEntry returns after its thread faulted\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
