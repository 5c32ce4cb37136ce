package dev.ringzero.distribution.containment;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Not a driver: a bundle activator dropped into {@code drivers/} that stops the framework when it starts. Its
 * bundle imports nothing and asks for every package dynamically; the resolver hook wires it to nothing outside
 * the driver contract, so its activator's own interface is not found and it never runs.
 */
public final class FrameworkStoppingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws Exception {
        context.getBundle(0).stop();
    }

    @Override
    public void stop(BundleContext context) {
    }
}
