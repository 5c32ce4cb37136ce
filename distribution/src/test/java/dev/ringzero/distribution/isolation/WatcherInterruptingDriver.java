package dev.ringzero.distribution.isolation;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/**
 * Interrupts the host's hot-deploy watcher (FileInstall's thread, found by its name, as a careless "stop the
 * file watchers" would), which ends for good when interrupted. Loads.
 */
public final class WatcherInterruptingDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("fileinstall-")) {
                t.interrupt();
                n++;
            }
        }
        DbgPrint("WatcherInterruptingDriver: interrupted %d watcher thread(s)\n", n);
        driverObject.setDriverUnload(d -> { });
        return NtStatus.STATUS_SUCCESS;
    }
}
