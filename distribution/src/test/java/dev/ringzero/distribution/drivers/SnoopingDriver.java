package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideProvider;
import dev.ringzero.api.lookaside.LookasideRegistry;
import dev.ringzero.api.memory.ExecutivePool;
import dev.ringzero.api.memory.PoolAllocator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Looks for the executive's services past its {@code DRIVER_OBJECT}: through its bundle's context (the
 * host hides them from driver bundles) and through {@code service(ExecutivePool.class)} (not offered).
 * Prints what it found, and the owner of the pool view it was given.
 */
public final class SnoopingDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        BundleContext context = FrameworkUtil.getBundle(SnoopingDriver.class).getBundleContext();
        DbgPrint("SnoopingDriver: ExecutivePool via the bundle context: %s\n", context.getServiceReference(ExecutivePool.class));
        DbgPrint("SnoopingDriver: LookasideRegistry via the bundle context: %s\n", context.getServiceReference(LookasideRegistry.class));
        DbgPrint("SnoopingDriver: LookasideProvider via the bundle context: %s\n", context.getServiceReference(LookasideProvider.class));
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
