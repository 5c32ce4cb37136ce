package dev.ringzero.distribution.exits;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.SystemThread;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;

/**
 * Calls {@code Runtime.halt(7)} through a {@code MethodHandle} on one of its system threads, which DriverEntry waits
 * for; DriverEntry then returns success, and the host unloads the driver for its thread's bug check.
 */
public final class MethodHandleHaltDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        driverObject.setDriverUnload(d -> DbgPrint("MethodHandleHaltDriver: DriverUnload called\n"));
        SystemThread worker = driverObject.PsCreateSystemThread("halting worker", () -> {
            DbgPrint("MethodHandleHaltDriver: Runtime.halt(7) through a MethodHandle, on a system thread\n");
            try {
                MethodHandle halt = MethodHandles.publicLookup().findVirtual(Runtime.class, "halt",
                        MethodType.methodType(void.class, int.class));
                halt.invokeExact(Runtime.getRuntime(), 7);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
        try {
            worker.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return NtStatus.STATUS_SUCCESS;
    }
}
