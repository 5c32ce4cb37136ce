package dev.ringzero.distribution.badjars;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/** A well-behaved driver whose bundle imports a package nothing exports ({@code org.example.nowhere}): it never resolves. */
public final class UnresolvableDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("UnresolvableDriver: Entering DriverEntry, which must never happen\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
