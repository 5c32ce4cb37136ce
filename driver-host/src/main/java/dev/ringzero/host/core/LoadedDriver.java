package dev.ringzero.host.core;

import dev.ringzero.api.DebugLineBuffer;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.Owner;
import java.lang.foreign.MemoryLayout;
import java.util.Map;

/** One driver the host knows: loaded, or quarantined. */
public final class LoadedDriver {
    private final DriverImage image;
    private final Owner owner;
    private final KernelDriverObject driverObject;
    private final SystemThreads threads;
    private final DriverThreadGroup group;
    private final DebugLineBuffer output;
    private final DriverState state;

    LoadedDriver(DriverImage image, Owner owner, KernelDriverObject driverObject, SystemThreads threads,
                 DriverThreadGroup group, DebugLineBuffer output, DriverState state) {
        this.image = image;
        this.owner = owner;
        this.driverObject = driverObject;
        this.threads = threads;
        this.group = group;
        this.output = output;
        this.state = state;
    }

    public String name() {
        return image.name();
    }

    public DriverImage image() {
        return image;
    }

    public Owner owner() {
        return owner;
    }

    public DriverState state() {
        return state;
    }

    /** Its {@code DRIVER_OBJECT}. */
    public DriverObject driverObject() {
        return driverObject;
    }

    public boolean hasUnloadRoutine() {
        return driverObject.DriverUnload() != null;
    }

    public int imageBase() {
        return driverObject.DriverStart();
    }

    public int imageSize() {
        return driverObject.DriverSize();
    }

    /** The layouts the driver registered for the debugger ({@code DriverObject.registerDebuggerType}), by name. */
    public Map<String, MemoryLayout> debuggerTypes() {
        return driverObject.debuggerTypes();
    }

    KernelDriverObject kernelObject() {
        return driverObject;
    }

    SystemThreads threads() {
        return threads;
    }

    DebugLineBuffer output() {
        return output;
    }

    DriverThreadGroup group() {
        return group;
    }

    LoadedDriver withState(DriverState s) {
        return new LoadedDriver(image, owner, driverObject, threads, group, output, s);
    }
}
