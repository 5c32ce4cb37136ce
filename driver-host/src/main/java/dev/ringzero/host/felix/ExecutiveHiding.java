package dev.ringzero.host.felix;

import dev.ringzero.api.lookaside.LookasideProvider;
import dev.ringzero.api.lookaside.LookasideRegistry;
import dev.ringzero.api.memory.ExecutivePool;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook;

/**
 * Hides the executive's services from driver bundles: a driver reaches the pool and the lookaside
 * lists only through its {@code DRIVER_OBJECT}, whose views are made for its own {@link dev.ringzero.api.Owner}
 * ({@code forDriver(owner)}); with the services themselves it could make a view for any owner. A
 * driver bundle is one with a {@value DriverJar#DRIVER_HEADER} header.
 */
final class ExecutiveHiding implements FindHook, EventListenerHook {

    static final Set<String> HIDDEN = Set.of(ExecutivePool.class.getName(), LookasideRegistry.class.getName(),
            LookasideProvider.class.getName());

    private ExecutiveHiding() {
    }

    static void register(BundleContext systemContext) {
        ExecutiveHiding hook = new ExecutiveHiding();
        systemContext.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()}, hook, null);
    }

    static boolean isDriver(Bundle bundle) {
        if (bundle == null || bundle.getBundleId() == 0) {
            return false;
        }
        try {
            String entry = bundle.getHeaders("").get(DriverJar.DRIVER_HEADER);
            return entry != null && !entry.isBlank();
        } catch (IllegalStateException uninstalled) {
            return false;
        }
    }

    static boolean isExecutive(ServiceReference<?> ref) {
        if (ref.getProperty(Constants.OBJECTCLASS) instanceof String[] classes) {
            for (String c : classes) {
                if (HIDDEN.contains(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
                     Collection<ServiceReference<?>> references) {
        if (isDriver(context.getBundle())) {
            references.removeIf(ExecutiveHiding::isExecutive);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerHook.ListenerInfo>> listeners) {
        if (isExecutive(event.getServiceReference())) {
            listeners.keySet().removeIf(c -> {
                try {
                    return isDriver(c.getBundle());
                } catch (IllegalStateException invalidContext) {
                    return false;
                }
            });
        }
    }
}
