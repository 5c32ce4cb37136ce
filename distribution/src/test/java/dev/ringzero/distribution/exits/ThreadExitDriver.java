package dev.ringzero.distribution.exits;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/**
 * Starts a plain {@code java.lang.Thread} (not a system thread) that calls {@code System.exit(4)}, and waits for it in
 * DriverEntry; the thread dies of the refusal, DriverEntry returns success, and the host unloads the driver.
 */
public final class ThreadExitDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        driverObject.setDriverUnload(d -> DbgPrint("ThreadExitDriver: DriverUnload called\n"));
        Thread plain = new Thread(() -> System.exit(4), "ThreadExitDriver's own thread");
        plain.start();
        try {
            plain.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DbgPrint("ThreadExitDriver: its thread ended; DriverEntry returns\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
