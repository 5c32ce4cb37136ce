package dev.ringzero.distribution.badjars;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/**
 * A driver its bundle names {@code GoodDriver}, a name the corpus's good driver already holds: refused before
 * its {@code DriverEntry} runs, which would print a line.
 */
public final class NamesakeDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("NamesakeDriver: Entering DriverEntry, which must never happen\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
