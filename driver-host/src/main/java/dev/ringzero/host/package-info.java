/**
 * The {@code ringzero} command line: {@link dev.ringzero.host.Main} parses the words ({@link
 * dev.ringzero.host.CommandLine}) and runs one command — {@code run JAR...} (load, report, unload, exit), {@code host}
 * (the long-running host with hot deploy and the kd shell), {@code poolmon} (a live PoolMon attached to a running host
 * over local JMX).
 *
 * <h2>Rules</h2>
 * The edge where text is made: the core's typed outcomes and reports become console lines and exit codes here
 * ({@code 0} all loaded and unloaded clean, {@code 1} a driver failed or bug-checked, {@code 2} the user's mistake —
 * one line naming it —, {@code 3} the host's own fault). Runs on the JVM's main thread and waits; it starts a host
 * only through {@code FelixHost.start}, and nothing here runs driver code or touches the executive's memory.
 */
package dev.ringzero.host;
