package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/** Lets an exception escape {@code DriverEntry}: bug check 0x7E. */
public final class FaultingDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("FaultingDriver: Entering DriverEntry\n");
        throw new IllegalStateException("deliberate fault in DriverEntry");
    }
}
