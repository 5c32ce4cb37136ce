/**
 * Drivers that try to end the host's JVM — {@code System.exit}, {@code Runtime.exit}, {@code Runtime.halt},
 * directly, through reflection, through a {@code MethodHandle}, from a system thread and from a plain thread —
 * each in its {@code DriverEntry}, as a library's {@code main} reused in a driver would. Under the exit guard
 * each ends in bug check {@code 0xF4 CRITICAL_OBJECT_TERMINATION} charged to it, and the host goes on
 * ({@code ExitGuardIT}). Each is built into a bundle of its own by {@code TestBundles.driverBundle}, so each
 * class is self-contained (nested classes travel with it, nothing else of this package does).
 */
package dev.ringzero.distribution.exits;
