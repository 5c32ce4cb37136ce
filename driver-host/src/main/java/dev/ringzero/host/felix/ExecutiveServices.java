package dev.ringzero.host.felix;

import dev.ringzero.host.core.Executive;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.memory.ExecutivePool;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The executive as the framework sees it. The launcher assembles the executive from its module path
 * ({@link dev.ringzero.host.core.ExecutiveAssembly}); this registers its services through the system bundle's
 * context — the pool ({@link ExecutivePool}), the lookaside registry ({@link LookasideRegistry}) and the built-in
 * lookaside implementations ({@link LookasideProvider}) — for the trusted bundles of {@code system/} (the shell)
 * and, later, {@code allocators/}; {@link ExecutiveHiding} keeps every service from drivers. It also tracks the
 * {@link LookasideProvider}s such bundles register and adds them to the executive.
 *
 * <p>The implementation named by the framework property {@value #SELECT_PROPERTY}, else the first built-in one,
 * serves new lists. The built-in implementations are registered with service ranking {@value #DEFAULT_RANKING}
 * for the default (the first) and 0 for the others. An implementation that appears later is added to the
 * executive; it is selected when it is the configured one or outranks the selected one (its ranking may also
 * change later, through its configuration). Lists already made stay with the implementation that made them.
 */
final class ExecutiveServices implements AutoCloseable {

    /** The framework property that names the lookaside implementation for new lists. */
    static final String SELECT_PROPERTY = "ringzero.lookaside.implementation";
    /** The built-in default implementation's service ranking ({@code nt}'s, as its own component declared it). */
    static final int DEFAULT_RANKING = 100;

    private final Executive executive;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final ServiceTracker<LookasideProvider, LookasideProvider> providers;
    private final Object lock = new Object();
    private final String configured;
    private final Map<String, Integer> rankings = new ConcurrentHashMap<>();

    private ExecutiveServices(BundleContext systemContext, Executive executive, BundleTrust trust) {
        this.executive = executive;
        this.configured = systemContext.getProperty(SELECT_PROPERTY);
        this.providers = new ServiceTracker<>(systemContext, LookasideProvider.class, null) {
            @Override
            public LookasideProvider addingService(ServiceReference<LookasideProvider> reference) {
                if (trust.isAllocatorLevel(reference.getBundle())) {
                    return null;   // issue 21: allocators/ is AllocatorBundles' to track
                }
                LookasideProvider p = super.addingService(reference);
                if (p != null) {
                    synchronized (lock) {
                        rankings.put(p.name(), ranking(reference));
                        if (executive.lookasideProviders().get(p.name()) != p) {
                            executive.addLookaside(p);
                        }
                        selectIfPreferred(p);
                    }
                }
                return p;
            }

            @Override
            public void modifiedService(ServiceReference<LookasideProvider> reference, LookasideProvider p) {
                synchronized (lock) {
                    rankings.put(p.name(), ranking(reference));
                    selectIfPreferred(p);
                }
            }
        };
    }

    /**
     * Registers the executive's services through {@code systemContext} and starts tracking the lookaside
     * implementations of bundles. {@code executive}'s selection follows {@value #SELECT_PROPERTY} when set.
     */
    static ExecutiveServices register(BundleContext systemContext, Executive executive, BundleTrust trust) {
        ExecutiveServices s = new ExecutiveServices(systemContext, executive, trust);
        synchronized (s.lock) {
            List<LookasideProvider> builtIn = List.copyOf(executive.lookasideProviders().values());
            LookasideProvider first = executive.selectedLookaside();
            s.registrations.add(systemContext.registerService(ExecutivePool.class, executive.pool(), null));
            s.registrations.add(systemContext.registerService(LookasideRegistry.class, executive.lookasideRegistry(), null));
            for (LookasideProvider p : builtIn) {
                int ranking = p == first ? DEFAULT_RANKING : 0;
                s.rankings.put(p.name(), ranking);
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(Constants.SERVICE_RANKING, ranking);
                props.put("lookaside.implementation", p.name());
                s.registrations.add(systemContext.registerService(LookasideProvider.class, p, props));
            }
            if (s.configured != null && executive.lookasideProviders().containsKey(s.configured)) {
                executive.selectLookaside(s.configured);
            }
        }
        s.providers.open();
        return s;
    }

    Executive executive() {
        return executive;
    }

    /** Selects {@code p} for new lists when it is the configured implementation or outranks the selected one. */
    private void selectIfPreferred(LookasideProvider p) {
        LookasideProvider current = executive.selectedLookaside();
        if (current.name().equals(p.name())) {
            return;
        }
        boolean wanted = p.name().equals(configured);
        boolean configuredSelected = current.name().equals(configured);
        if (wanted || (!configuredSelected && rankings.getOrDefault(p.name(), 0) > rankings.getOrDefault(current.name(), 0))) {
            executive.selectLookaside(p.name());
        }
    }

    private static int ranking(ServiceReference<?> reference) {
        return reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    /** Stops tracking and withdraws the executive's services from the framework; the executive itself stays. */
    @Override
    public void close() {
        providers.close();
        for (ServiceRegistration<?> r : registrations.reversed()) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework stopped and took it
            }
        }
    }
}
