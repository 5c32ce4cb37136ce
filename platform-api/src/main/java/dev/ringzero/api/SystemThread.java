package dev.ringzero.api;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A system thread created for a driver by {@link DriverObject#PsCreateSystemThread}. It runs at
 * PASSIVE_LEVEL with the driver's {@code DbgPrint} output; a bug check or exception in it is the
 * driver's fault and is reported as such. The host joins it when the driver unloads.
 */
@ProviderType
public interface SystemThread {

    String name();

    /** Whether the thread is still running. */
    boolean isAlive();

    /**
     * Waits for the thread to end ({@code KeWaitForSingleObject} on the thread object).
     *
     * @return {@code true} if it ended within {@code timeout}
     */
    boolean join(Duration timeout) throws InterruptedException;
}
