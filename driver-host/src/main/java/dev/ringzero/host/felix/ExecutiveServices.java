package dev.ringzero.host.felix;

import dev.ringzero.api.lookaside.LookasideProvider;
import dev.ringzero.api.lookaside.LookasideRegistry;
import dev.ringzero.api.memory.ExecutivePool;
import dev.ringzero.host.core.Executive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@link Executive} built from the services the platform bundles register: the pool
 * ({@link ExecutivePool}, from {@code dev.ringzero.pool}), the lookaside registry
 * ({@link LookasideRegistry}) and the lookaside implementations ({@link LookasideProvider}, from
 * {@code dev.ringzero.lookaside}). The services are tracked from the system bundle's context, whose
 * view of the API packages is the host's own.
 *
 * <p>The implementation named by the framework property {@value #SELECT_PROPERTY}, else the highest-ranked
 * one present at start, serves new lists. An implementation that appears later is added to the executive;
 * it is selected when it is the configured one or outranks the selected one (its ranking may also change
 * later, through its configuration). Lists already made stay with the implementation that made them.
 */
final class ExecutiveServices implements AutoCloseable {

    private final ServiceTracker<ExecutivePool, ExecutivePool> pool;
    private final ServiceTracker<LookasideRegistry, LookasideRegistry> registry;
    private final ServiceTracker<LookasideProvider, LookasideProvider> providers;
    /** The framework property that names the lookaside implementation for new lists. */
    static final String SELECT_PROPERTY = "ringzero.lookaside.implementation";

    private final Object lock = new Object();
    private final String configured;
    private final Map<String, Integer> rankings = new ConcurrentHashMap<>();
    private Executive executive;

    private ExecutiveServices(BundleContext context) {
        configured = context.getProperty(SELECT_PROPERTY);
        pool = new ServiceTracker<>(context, ExecutivePool.class, null);
        registry = new ServiceTracker<>(context, LookasideRegistry.class, null);
        providers = new ServiceTracker<>(context, LookasideProvider.class, null) {
            @Override
            public LookasideProvider addingService(ServiceReference<LookasideProvider> reference) {
                LookasideProvider p = super.addingService(reference);
                synchronized (lock) {
                    if (p != null) {
                        rankings.put(p.name(), ranking(reference));
                    }
                    if (executive != null && p != null) {
                        executive.addLookaside(p);
                        selectIfPreferred(p);
                    }
                }
                return p;
            }

            @Override
            public void modifiedService(ServiceReference<LookasideProvider> reference, LookasideProvider p) {
                synchronized (lock) {
                    rankings.put(p.name(), ranking(reference));
                    if (executive != null) {
                        selectIfPreferred(p);
                    }
                }
            }
        };
    }

    /**
     * Waits at most {@code timeout} for the three services.
     *
     * @throws HostException ({@link HostException.Kind#FAULT}) naming each service that did not appear
     *         and the state of the bundle that should have registered it
     */
    static ExecutiveServices await(BundleContext context, Duration timeout) throws HostException {
        ExecutiveServices s = new ExecutiveServices(context);
        s.pool.open();
        s.registry.open();
        s.providers.open();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            ExecutivePool p = s.pool.waitForService(millisLeft(deadline));
            LookasideRegistry r = s.registry.waitForService(millisLeft(deadline));
            LookasideProvider first = s.providers.waitForService(millisLeft(deadline));
            if (p == null || r == null || first == null) {
                List<String> missing = new ArrayList<>();
                if (p == null) missing.add(ExecutivePool.class.getName() + " (from " + bundleState(context, "dev.ringzero.pool") + ")");
                if (r == null) missing.add(LookasideRegistry.class.getName() + " (from " + bundleState(context, "dev.ringzero.lookaside") + ")");
                if (first == null) missing.add(LookasideProvider.class.getName() + " (from " + bundleState(context, "dev.ringzero.lookaside") + ")");
                s.close();
                throw new HostException(HostException.Kind.FAULT, "the executive's services did not appear within "
                        + timeout.toSeconds() + " s; missing: " + String.join(", ", missing)
                        + (isActive(context, "org.apache.felix.scr") ? "" : "; Felix SCR (org.apache.felix.scr) is not active"));
            }
            synchronized (s.lock) {
                s.executive = new Executive(p, r, s.rankedProviders());
                if (s.configured != null && s.executive.lookasideProviders().containsKey(s.configured)) {
                    s.executive.selectLookaside(s.configured);
                }
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.close();
            throw new HostException(HostException.Kind.FAULT, "interrupted while waiting for the executive's services");
        }
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

    /** The providers, highest service ranking first (then oldest registration). */
    private List<LookasideProvider> rankedProviders() {
        ServiceReference<LookasideProvider>[] refs = providers.getServiceReferences();
        List<LookasideProvider> ranked = new ArrayList<>();
        if (refs != null) {
            Arrays.sort(refs, Comparator.reverseOrder());
            for (ServiceReference<LookasideProvider> ref : refs) {
                LookasideProvider p = providers.getService(ref);
                if (p != null) {
                    ranked.add(p);
                }
            }
        }
        return ranked;
    }

    private static long millisLeft(long deadline) {
        return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    }

    private static boolean isActive(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles())
                .anyMatch(b -> symbolicName.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE);
    }

    private static String bundleState(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                String state = switch (b.getState()) {
                    case Bundle.INSTALLED -> "installed, not resolved";
                    case Bundle.RESOLVED -> "resolved, not started";
                    case Bundle.STARTING -> "starting";
                    case Bundle.STOPPING -> "stopping";
                    case Bundle.ACTIVE -> "active, but it registered no such service";
                    default -> "uninstalled";
                };
                return "bundle " + symbolicName + ": " + state;
            }
        }
        return "bundle " + symbolicName + ", which is not installed";
    }

    @Override
    public void close() {
        providers.close();
        registry.close();
        pool.close();
    }
}
