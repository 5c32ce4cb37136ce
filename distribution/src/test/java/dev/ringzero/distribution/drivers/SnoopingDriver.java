package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;

/**
 * Looks for the executive's pool past its {@code DRIVER_OBJECT}: loads the SPI's {@code ExecutivePool} by name
 * (since the API split a driver cannot import it, so the name is all it has) and asks
 * {@code service(ExecutivePool.class)} for it. Prints what it found, and the owner of the pool view it was given.
 * (Its bundle's context is out of reach: a driver may not import OSGi, and the framework's gate refuses it one by
 * name.)
 */
public final class SnoopingDriver implements Driver {

    private static final String EXECUTIVE_POOL = "dev.ringzero.spi.memory.ExecutivePool";

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        try {
            driverObject.service(Class.forName(EXECUTIVE_POOL, false, SnoopingDriver.class.getClassLoader()));
            DbgPrint("SnoopingDriver: ExecutivePool via the driver object: given\n");
        } catch (ClassNotFoundException e) {
            DbgPrint("SnoopingDriver: ExecutivePool via the driver object: refused (its package is not wired to a driver)\n");
        } catch (IllegalArgumentException e) {
            DbgPrint("SnoopingDriver: ExecutivePool via the driver object: refused\n");
        }
        DbgPrint("SnoopingDriver: my pool view belongs to %s\n", driverObject.service(PoolAllocator.class).owner());
        driverObject.setDriverUnload(d -> { });
        return NtStatus.STATUS_SUCCESS;
    }
}
