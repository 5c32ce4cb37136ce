/**
 * Ringzero on JMX: read-only MXBeans over a running host's lookaside lists, pool tags, drivers and verifier
 * ({@link dev.ringzero.host.jmx.HostBeans}), and a local-only JMX connector for {@code ringzero poolmon}
 * ({@link dev.ringzero.host.jmx.LocalJmxConnector}).
 *
 * <h2>Read-only, on purpose</h2>
 * Any code in the host's JVM — drivers included — can reach the platform MBeanServer, so these beans have
 * attributes only: no operation resets a counter, sets a Depth or unloads a driver. The kernel debugger's
 * shell ({@code kd:lookaside ADDRESS 2 DEPTH}, {@code kd:unload}) is where state changes. The local connector
 * refuses every call that could change state ({@code setAttribute}, {@code invoke}, registering and
 * unregistering), for the JDK's own beans too.
 *
 * <h2>Threads</h2>
 * JMX calls the beans on its own threads (RMI's, the platform server's), at any time: each attribute is a snapshot
 * taken from the core's thread-safe reads (the pool's usage, the registry's lists, the I/O manager's drivers), and
 * nothing waits for the I/O manager thread or runs driver code.
 *
 * <h2>Names</h2>
 * One MXBean per kind, with tabular data (an array of rows): {@code dev.ringzero:type=PoolTags,host="..."} and
 * so on, where {@code host} is the quoted ({@link javax.management.ObjectName#quote}) path of the host's
 * framework storage, unique per host, so several hosts in one JVM (tests) do not collide. Tags and driver
 * names appear only as row values, never in names, so a tag holding {@code ,}, {@code =}, {@code "} or
 * {@code *} needs no escaping.
 */
package dev.ringzero.host.jmx;
