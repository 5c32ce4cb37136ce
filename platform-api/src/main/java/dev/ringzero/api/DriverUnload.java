package dev.ringzero.api;

import org.osgi.annotation.versioning.ConsumerType;

/** {@code DRIVER_UNLOAD}: called at PASSIVE_LEVEL in a system thread when a loaded driver is unloaded. */
@ConsumerType
@FunctionalInterface
public interface DriverUnload {

    void DriverUnload(DriverObject driverObject);
}
