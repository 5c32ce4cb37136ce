package dev.ringzero.distribution.exits;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/** Calls {@code Runtime.getRuntime().halt(1)} in DriverEntry: no shutdown hooks, no clean-up, if it went through. */
public final class HaltDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("HaltDriver: Runtime.halt(1)\n");
        Runtime.getRuntime().halt(1);
        DbgPrint("HaltDriver: still running after Runtime.halt\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
