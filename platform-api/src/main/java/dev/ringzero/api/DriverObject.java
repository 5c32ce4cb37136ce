package dev.ringzero.api;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * {@code DRIVER_OBJECT}: what the I/O manager hands a driver's {@code DriverEntry}.
 *
 * <p>Besides NT's fields it is the driver's door to the executive: {@link #service(Class)} returns the
 * driver's own view of a service looked up by interface ({@link dev.ringzero.api.memory.PoolAllocator},
 * {@link dev.ringzero.api.lookaside.LookasideLists}, {@link dev.ringzero.api.memory.SystemMemory},
 * {@link dev.ringzero.api.memory.Lists}, {@link dev.ringzero.api.memory.SLists}). Everything allocated
 * through those views is owned by this driver: leaks are reported against it at unload, and another
 * driver cannot free it.
 */
@ProviderType
public interface DriverObject {

    /** {@code DriverName}: {@code \Driver\<Name>}. */
    String DriverName();

    /** {@code DriverExtension->ServiceKeyName}: the bare name, e.g. {@code LookasideList}. */
    String ServiceKeyName();

    /** The registry path passed to {@code DriverEntry}. */
    String RegistryPath();

    /** The owner of everything this driver allocates. */
    Owner owner();

    /** {@code DriverStart}: the system address of the driver's image section. */
    int DriverStart();

    /** {@code DriverSize}: the size of the image section in bytes. */
    int DriverSize();

    /**
     * The driver's image section, zero-filled at load, laid out as {@link Driver#imageLayout()} says —
     * where the driver's globals live, so that a {@code LIST_ENTRY} head among them has a system
     * address list entries can point back to.
     */
    MemorySegment imageSection();

    /** Sets {@code DriverObject->DriverUnload}; {@code null} makes the driver unloadable, as in NT. */
    void setDriverUnload(DriverUnload unload);

    /** {@code DriverObject->DriverUnload}, or {@code null}. */
    DriverUnload DriverUnload();

    /**
     * This driver's view of an executive service.
     *
     * @throws IllegalArgumentException naming {@code type} when the host offers no such service
     */
    <T> T service(Class<T> type);

    /**
     * {@code PsCreateSystemThread}: starts a system thread for this driver running {@code startRoutine}
     * at PASSIVE_LEVEL. The host joins it at unload.
     */
    SystemThread PsCreateSystemThread(String name, Runnable startRoutine);
}
