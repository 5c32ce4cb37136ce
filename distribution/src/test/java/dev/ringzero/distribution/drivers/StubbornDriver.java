package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/** Loads and sets no {@code DriverUnload}: NT refuses to unload it (STATUS_INVALID_DEVICE_REQUEST). */
public final class StubbornDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("StubbornDriver: loaded, and here to stay\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
