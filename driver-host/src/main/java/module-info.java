/**
 * The Ringzero host: the driver lifecycle core ({@code dev.ringzero.host.core}, free of OSGi), the
 * embedded Felix launcher and driver extender ({@code dev.ringzero.host.felix}), and the
 * {@code ringzero} CLI ({@code dev.ringzero.host.Main}).
 *
 * <p>The core package is exported to JPMS for the driver test kit on a plain module path, and the Felix
 * package for tools that start a host in-process (the distribution's integration tests and start-time
 * harness); as an OSGi bundle the host exports nothing: the system bundle shares the platform API and
 * the debugger service's package ({@code dev.ringzero.host.debugger}, for the {@code kd} shell bundle only).
 */
module dev.ringzero.host {
    requires transitive dev.ringzero.api;
    requires com.google.common;
    requires java.management; // kd:lm: the CPU time of a quarantined driver's hung thread
    requires jdk.jfr;         // HostEvents; ringzero run --jfr
    requires java.management.rmi; // the local JMX connector ringzero poolmon attaches to (dev.ringzero.host.jmx)
    requires java.logging;    // FileInstall's messages reach the host through java.util.logging (DeployFolder)
    requires transitive org.apache.felix.framework;

    exports dev.ringzero.host.core;
    exports dev.ringzero.host.felix;
    exports dev.ringzero.host.launch;   // the launcher's settings and failures, for the same tools
    exports dev.ringzero.host.manifest; // DriverJar: the run's jar check (tools, the distribution's tests)
    exports dev.ringzero.host.reports;  // the run report, crash reports and the DbgPrint log's format
    exports dev.ringzero.host.debugger; // the kd shell bundle's service (Felix sees it through the system bundle)
    exports dev.ringzero.host.jmx;     // the MXBean interfaces (JMX reads them by reflection; tools proxy them)
    exports dev.ringzero.host.poolmon; // PoolMon's display, for the kd shell

    // the executive, assembled from the module path (ExecutiveAssembly): the launcher, InProcessHost, the test kit
    uses dev.ringzero.spi.memory.ExecutivePool;
    uses dev.ringzero.spi.memory.ExecutivePool.Factory;
    uses dev.ringzero.spi.lookaside.LookasideProvider;
    uses dev.ringzero.spi.lookaside.LookasideServices.Factory;
    uses org.osgi.framework.launch.FrameworkFactory;
}
