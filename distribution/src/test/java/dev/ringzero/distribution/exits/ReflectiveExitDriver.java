package dev.ringzero.distribution.exits;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import java.lang.reflect.InvocationTargetException;

/** Calls {@code Runtime.exit(2)} through {@code Method.invoke} in DriverEntry, and lets what it throws escape. */
public final class ReflectiveExitDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("ReflectiveExitDriver: Runtime.exit(2) through Method.invoke\n");
        try {
            Runtime.class.getMethod("exit", int.class).invoke(Runtime.getRuntime(), 2);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;   // what a reflective caller rethrows
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        DbgPrint("ReflectiveExitDriver: still running after Runtime.exit\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
