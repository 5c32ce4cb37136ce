package dev.ringzero.distribution.containment;

import static dev.ringzero.api.Kd.DbgPrint;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import java.lang.foreign.MemorySegment;

/** Writes through address 0 ({@code MemorySegment.NULL.reinterpret}): with native access, a SIGSEGV and an hs_err file. */
public final class NullWriteDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("NullWriteDriver: writing 42 at address 0\n");
        MemorySegment.NULL.reinterpret(8).set(JAVA_LONG, 0, 42L);
        DbgPrint("NullWriteDriver: REACHED address 0\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
