package dev.ringzero.host.felix;

import java.util.Collection;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook;

/**
 * Hides every service in the OSGi registry from driver-level bundles ({@link BundleTrust}): a driver gets its
 * services only from its {@code DRIVER_OBJECT}, whose views are made for its own {@link dev.ringzero.api.Owner}
 * ({@code forDriver(owner)}); with the executive's services themselves it could make a view for any owner, and
 * with the shell's it could unload other drivers. A driver that imports no OSGi package has no registry to ask;
 * this holds for one that reaches the framework's classes by name.
 */
final class ExecutiveHiding implements FindHook, EventListenerHook {

    private final BundleTrust trust;

    private ExecutiveHiding(BundleTrust trust) {
        this.trust = trust;
    }

    static void register(BundleContext systemContext, BundleTrust trust) {
        ExecutiveHiding hook = new ExecutiveHiding(trust);
        systemContext.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()}, hook, null);
    }

    private boolean isDriverLevel(BundleContext context) {
        try {
            return trust.isDriverLevel(context.getBundle());
        } catch (IllegalStateException invalidContext) {
            return false;
        }
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
                     Collection<org.osgi.framework.ServiceReference<?>> references) {
        if (isDriverLevel(context)) {
            references.removeIf(r -> r.getBundle() != context.getBundle());
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerHook.ListenerInfo>> listeners) {
        listeners.keySet().removeIf(c -> isDriverLevel(c) && event.getServiceReference().getBundle() != c.getBundle());
    }
}
