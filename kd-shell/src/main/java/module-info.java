/**
 * The {@code kd} commands of the Gogo shell: a bundle in {@code system/shell/} over the host's
 * {@code KernelDebugger} service. It holds no debugger logic, only Gogo's face for it.
 */
module dev.ringzero.kdshell {
    requires dev.ringzero.host;
    requires static org.apache.felix.gogo.runtime;
    requires static org.osgi.service.component.annotations;
}
