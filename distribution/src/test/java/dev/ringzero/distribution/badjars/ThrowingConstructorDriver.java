package dev.ringzero.distribution.badjars;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/** A driver whose constructor throws (a missing configuration, say): it is never created, its DriverEntry never runs. */
public final class ThrowingConstructorDriver implements Driver {

    public ThrowingConstructorDriver() {
        throw new IllegalStateException("no configuration for ThrowingConstructorDriver");
    }

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        return NtStatus.STATUS_SUCCESS;
    }
}
