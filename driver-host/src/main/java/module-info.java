/**
 * The Ringzero host: the driver lifecycle core ({@code dev.ringzero.host.core}, free of OSGi), the
 * embedded Felix launcher and driver extender, the {@code kd} shell commands and the {@code ringzero} CLI.
 *
 * <p>The core package is exported to JPMS only, for the driver test kit on a plain module path; as an
 * OSGi bundle the host exports nothing (only the platform API is shared, through the system bundle).
 */
module dev.ringzero.host {
    requires transitive dev.ringzero.api;
    requires com.google.common;
    requires org.apache.felix.framework;

    exports dev.ringzero.host.core;

    uses dev.ringzero.api.memory.ExecutivePool;
    uses dev.ringzero.api.lookaside.LookasideProvider;
}
