package dev.ringzero.host.felix;

import dev.ringzero.host.core.DriverOutcome;
import org.osgi.framework.Bundle;
import dev.ringzero.host.manifest.DriverJar;

/**
 * A driver bundle the host installed and started on request, and what its {@code DriverEntry} came to.
 *
 * @param jar     the jar, as inspected
 * @param bundle  its bundle
 * @param outcome the load's outcome (status line in {@link DriverOutcome#message()})
 */
public record DriverLoad(DriverJar jar, Bundle bundle, DriverOutcome outcome) {
}
