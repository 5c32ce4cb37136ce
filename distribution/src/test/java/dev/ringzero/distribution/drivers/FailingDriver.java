package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/** Returns a failure status after setting a {@code DriverUnload}, which NT (and the host) must not call. */
public final class FailingDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("FailingDriver: Entering DriverEntry\n");
        driverObject.setDriverUnload(d -> DbgPrint("FailingDriver: DriverUnload called\n"));
        return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
}
