package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;

/**
 * Looks for the executive's pool past its {@code DRIVER_OBJECT}. Its bundle cannot import the provider SPI (the
 * import would be refused at load), so it cannot name {@code ExecutivePool} in its own code: it loads the interface
 * by name through the class loader of the host's own {@code DriverObject} and asks {@code service(...)} for it
 * (not offered). Prints what it found, and the owner of the pool view it was given. (Its bundle's context is out
 * of reach: a driver may not import OSGi, and the framework's gate refuses it one by name.)
 */
public final class SnoopingDriver implements Driver {

    /** The provider SPI's pool, named here because the driver's bundle may not import its package. */
    private static final String EXECUTIVE_POOL = "dev.ringzero.spi.memory.ExecutivePool";

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        try {
            Class.forName(EXECUTIVE_POOL, false, SnoopingDriver.class.getClassLoader());
            DbgPrint("SnoopingDriver: ExecutivePool from its own bundle: visible\n");
        } catch (ClassNotFoundException expected) {
            DbgPrint("SnoopingDriver: ExecutivePool from its own bundle: not visible\n");
        }
        Class<?> executivePool;
        try {
            executivePool = Class.forName(EXECUTIVE_POOL, false, driverObject.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            executivePool = null;
            DbgPrint("SnoopingDriver: ExecutivePool via the driver object's loader: not found\n");
        }
        if (executivePool != null) {
            try {
                driverObject.service(executivePool);
                DbgPrint("SnoopingDriver: ExecutivePool via the driver object: given\n");
            } catch (IllegalArgumentException e) {
                DbgPrint("SnoopingDriver: ExecutivePool via the driver object: refused\n");
            }
        }
        DbgPrint("SnoopingDriver: my pool view belongs to %s\n", driverObject.service(PoolAllocator.class).owner());
        driverObject.setDriverUnload(d -> { });
        return NtStatus.STATUS_SUCCESS;
    }
}
