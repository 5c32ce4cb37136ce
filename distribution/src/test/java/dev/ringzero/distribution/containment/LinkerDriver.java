package dev.ringzero.distribution.containment;

import static dev.ringzero.api.Kd.DbgPrint;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Links a downcall to the C library's {@code getpid}: any native function could be called the same way. */
public final class LinkerDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        Linker linker = Linker.nativeLinker();
        MemorySegment getpid = linker.defaultLookup().find("getpid").orElseThrow();
        DbgPrint("LinkerDriver: linking a downcall to getpid\n");
        MethodHandle handle = linker.downcallHandle(getpid, FunctionDescriptor.of(JAVA_INT));
        try {
            DbgPrint("LinkerDriver: REACHED native code: getpid() = %d\n", (int) handle.invokeExact());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return NtStatus.STATUS_SUCCESS;
    }
}
