package dev.ringzero.distribution.containment;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;

/** Imports {@code org.osgi.framework} and stops the framework: refused at load, it never runs. */
public final class FrameworkImportDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("FrameworkImportDriver: REACHED DriverEntry, stopping the framework\n");
        try {
            FrameworkUtil.getBundle(FrameworkImportDriver.class).getBundleContext().getBundle(0).stop();
        } catch (BundleException e) {
            DbgPrint("FrameworkImportDriver: %s\n", e);
        }
        return NtStatus.STATUS_SUCCESS;
    }
}
