package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.memory.ExecutivePool;

/**
 * Looks for the executive's pool past its {@code DRIVER_OBJECT}: through {@code service(ExecutivePool.class)}
 * (not offered). Prints what it found, and the owner of the pool view it was given. (Its bundle's context is out
 * of reach: a driver may not import OSGi, and the framework's gate refuses it one by name.)
 */
public final class SnoopingDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        try {
            driverObject.service(ExecutivePool.class);
            DbgPrint("SnoopingDriver: ExecutivePool via the driver object: given\n");
        } catch (IllegalArgumentException e) {
            DbgPrint("SnoopingDriver: ExecutivePool via the driver object: refused\n");
        }
        DbgPrint("SnoopingDriver: my pool view belongs to %s\n", driverObject.service(PoolAllocator.class).owner());
        driverObject.setDriverUnload(d -> { });
        return NtStatus.STATUS_SUCCESS;
    }
}
