package dev.ringzero.api;

import java.lang.foreign.MemoryLayout;
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
     * Makes {@code layout} known to the kernel debugger by its name, as WinDbg knows a driver's types
     * from its symbols: {@code dt SOME_STRUCTURE 80001010} shows its fields at an address, and
     * {@code !list -t SOME_STRUCTURE.ListEntry ...} walks a list of them. Registering the same layout again
     * does nothing. The names are the driver's own; the debugger looks a name up in the driver that
     * registered it ({@code dt LookasideList!SOME_STRUCTURE}) or, without a prefix, in every loaded driver
     * and then the API's layouts ({@link dev.ringzero.api.memory.NtLayouts}).
     *
     * @throws IllegalArgumentException when {@code layout} has no name, or this driver registered another
     *                                  layout under the same name
     * @since 1.2
     */
    void registerDebuggerType(MemoryLayout layout);

    /**
     * {@code PsCreateSystemThread}: starts a system thread for this driver running {@code startRoutine}
     * at PASSIVE_LEVEL. The host joins it at unload.
     */
    SystemThread PsCreateSystemThread(String name, Runnable startRoutine);
}
