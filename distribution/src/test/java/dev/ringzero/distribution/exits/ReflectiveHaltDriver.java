package dev.ringzero.distribution.exits;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;

/**
 * Calls {@code Runtime.halt(5)} through {@code Method.invoke} in DriverEntry and swallows what comes back, as careless
 * reflective code does: the refusal is reported all the same, and the driver is unloaded once DriverEntry returns.
 */
public final class ReflectiveHaltDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("ReflectiveHaltDriver: Runtime.halt(5) through Method.invoke\n");
        try {
            Runtime.class.getMethod("halt", int.class).invoke(Runtime.getRuntime(), 5);
        } catch (ReflectiveOperationException e) {
            DbgPrint("ReflectiveHaltDriver: the halt threw %s; carrying on\n", e.getCause().getClass().getSimpleName());
        }
        driverObject.setDriverUnload(d -> DbgPrint("ReflectiveHaltDriver: DriverUnload called\n"));
        return NtStatus.STATUS_SUCCESS;
    }
}
