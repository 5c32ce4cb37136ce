package dev.ringzero.distribution.exits;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Calls {@code System.exit(6)} through a {@code MethodHandle} in DriverEntry. */
public final class MethodHandleExitDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("MethodHandleExitDriver: System.exit(6) through a MethodHandle\n");
        try {
            MethodHandle exit = MethodHandles.publicLookup().findStatic(System.class, "exit",
                    MethodType.methodType(void.class, int.class));
            exit.invokeExact(6);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        DbgPrint("MethodHandleExitDriver: still running after System.exit\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
