package dev.ringzero.distribution.containment;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import java.lang.reflect.InvocationTargetException;

/**
 * Imports nothing of OSGi, but loads {@code FrameworkUtil} by name through the system class loader and tries
 * {@code FrameworkUtil.getBundle(getClass()).getBundleContext().getBundle(0).stop()}: the framework's end.
 */
public final class FrameworkByNameDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        try {
            ClassLoader system = ClassLoader.getSystemClassLoader();
            Class<?> util = Class.forName("org.osgi.framework.FrameworkUtil", true, system);
            Class<?> bundleType = Class.forName("org.osgi.framework.Bundle", false, system);
            Class<?> contextType = Class.forName("org.osgi.framework.BundleContext", false, system);
            Object mine = util.getMethod("getBundle", Class.class).invoke(null, FrameworkByNameDriver.class);
            DbgPrint("FrameworkByNameDriver: my bundle is %s; asking for its context\n", mine);
            Object context = bundleType.getMethod("getBundleContext").invoke(mine);
            Object framework = contextType.getMethod("getBundle", long.class).invoke(context, 0L);
            DbgPrint("FrameworkByNameDriver: REACHED the framework, stopping it\n");
            bundleType.getMethod("stop").invoke(framework);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;   // what the framework (or the host) threw
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            DbgPrint("FrameworkByNameDriver: no framework by name: %s\n", e);
        }
        return NtStatus.STATUS_SUCCESS;
    }
}
