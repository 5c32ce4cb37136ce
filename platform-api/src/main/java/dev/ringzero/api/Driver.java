package dev.ringzero.api;

import java.lang.foreign.MemoryLayout;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kernel-mode driver: the class a driver bundle names in its manifest, written by bnd from
 * {@link RingzeroDriver @RingzeroDriver(name = ...)} on this class.
 *
 * <p>The host instantiates it with its public no-argument constructor, reserves its image section
 * ({@link #imageLayout()}, the driver's globals — NT's {@code .data}/{@code .data?}), builds its
 * {@link DriverObject} and calls {@link #DriverEntry} once, on a system worker thread at
 * {@code PASSIVE_LEVEL}.
 *
 * <ul>
 *   <li>{@link NtStatus#NT_SUCCESS success}: the driver is loaded; stopping it later calls the
 *       {@link DriverUnload} routine it set, if it set one.</li>
 *   <li>failure: the driver is unloaded at once and its {@code DriverUnload} is <em>not</em> called,
 *       as NT does; the host reports the status by name and value.</li>
 *   <li>an exception escaping {@code DriverEntry}: bug check {@code 0x7E}, reported, driver unloaded.</li>
 * </ul>
 */
@ConsumerType
public interface Driver {

    /**
     * {@code DriverEntry}. PASSIVE_LEVEL.
     *
     * @param driverObject the driver's object: name, registry path, image section, services
     * @param registryPath {@code \Registry\Machine\System\CurrentControlSet\Services\<Name>}
     * @return the driver's status; anything but success unloads it
     */
    NtStatus DriverEntry(DriverObject driverObject, String registryPath);

    /**
     * The layout of the driver's image section: its global variables, in the order they would sit in
     * the image. The host zero-fills it, like NT's uninitialized {@code .data?} section. Empty by
     * default.
     */
    default MemoryLayout imageLayout() {
        return MemoryLayout.structLayout();
    }
}
