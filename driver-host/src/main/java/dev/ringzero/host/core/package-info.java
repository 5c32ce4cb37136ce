/**
 * The driver lifecycle core, free of OSGi: what NT's I/O manager does to load and unload a driver —
 * build its {@code DRIVER_OBJECT}, call {@code DriverEntry} on a system worker thread at
 * PASSIVE_LEVEL with a watchdog, unload on failure without calling {@code DriverUnload}, run the
 * verifier's checks at unload, and turn faults into bug-check reports. The Felix extender, the
 * {@code ringzero run} command and the JUnit test kit all drive drivers through {@link
 * dev.ringzero.host.core.IoManager}.
 */
package dev.ringzero.host.core;
