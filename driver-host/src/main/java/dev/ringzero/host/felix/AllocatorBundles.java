package dev.ringzero.host.felix;

import dev.ringzero.host.allocators.AllocatorCatalog;
import dev.ringzero.host.allocators.ClassPreload;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.host.manifest.AllocatorContract;
import dev.ringzero.host.core.HostThreads;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Live deployment of lookaside implementations (issue 21), the framework's side: FileInstall watches
 * {@code allocators/} beside {@code drivers/}; a bundle there is trusted at level 2b ({@link AllocatorContract}:
 * the driver contract and the provider SPI, nothing of the executive or the host) and registers its
 * implementation as a {@link LookasidePolicy} service — with Declarative Services, so it needs no OSGi import.
 * This tracks those services (also those of the trusted bundles of {@code system/}) and hands them to the
 * {@link AllocatorCatalog}, which registers them with the executive and retires a withdrawn one, which keeps
 * serving its lists until they are deleted.
 *
 * <p>Before an implementation is added its bundle's classes are loaded ({@link ClassPreload}): deleting its jar
 * cannot be vetoed, and after FileInstall's refresh its class loader loads nothing more.
 *
 * <p>Every line goes to the host's listener as a folder line ({@link HostListener#driversFolder}, prefixed
 * {@code allocators/:}): the host log and the console.
 */
final class AllocatorBundles implements AutoCloseable {

    /** The folder's name, beside {@code drivers/}. */
    static final String FOLDER = "allocators";

    private final BundleContext context;
    private final Path folder;
    private final BundleTrust trust;
    private final HostListener listener;
    private final AllocatorCatalog catalog;
    private final ServiceTracker<LookasidePolicy, LookasidePolicy> tracker;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            HostThreads.factory("Ringzero allocators/ reaper"));
    /** Synchronous: a refused jar is known before FileInstall's message about its failed start comes. */
    private final SynchronousBundleListener refusals = this::judge;
    /** Bundles of the folder refused by the contract: FileInstall's own message about them is not repeated. */
    private final Set<Long> refused = ConcurrentHashMap.newKeySet();
    /** Held strongly: {@code java.util.logging} keeps loggers only weakly, and would drop the filter with it. */
    private final Logger fileInstallLog = Logger.getLogger(DeployFolder.FILEINSTALL_LOGGER);
    private final Filter previousFilter = fileInstallLog.getFilter();
    private DeployWatcherGuard watcherGuard;
    private volatile boolean closing;

    private AllocatorBundles(BundleContext context, HostSettings settings, Executive executive, HostListener listener) {
        this.context = context;
        this.folder = folder(settings);
        this.trust = BundleTrust.of(settings);
        this.listener = listener;
        this.catalog = new AllocatorCatalog(executive, listener::driversFolder);
        this.tracker = new ServiceTracker<>(context, LookasidePolicy.class, null) {
            @Override
            public LookasidePolicy addingService(ServiceReference<LookasidePolicy> reference) {
                return adding(reference);
            }

            @Override
            public void removedService(ServiceReference<LookasidePolicy> reference, LookasidePolicy policy) {
                if (!closing) {
                    catalog.withdrawn(policy);
                }
                ungetQuietly(reference);
            }
        };
    }

    /** {@code allocators/}: beside the host's {@code drivers/} (in the distribution, under its home). */
    static Path folder(HostSettings settings) {
        return settings.driversDir().toAbsolutePath().normalize().resolveSibling(FOLDER);
    }

    /**
     * Starts tracking: the implementations already registered are added now. In the long-running host
     * ({@link HostSettings.Mode#HOST}) FileInstall's watcher of the folder is kept alive as {@code drivers/}'s is.
     */
    static AllocatorBundles open(BundleContext systemContext, HostSettings settings, Executive executive, HostListener listener) {
        AllocatorBundles b = new AllocatorBundles(systemContext, settings, executive, listener);
        b.fileInstallLog.setFilter(b::fileInstallMessage);
        systemContext.addBundleListener(b.refusals);
        for (Bundle installed : systemContext.getBundles()) {
            b.judge(installed);
        }
        b.tracker.open();
        b.reaper.scheduleWithFixedDelay(b::reap, 1, 1, TimeUnit.SECONDS);
        if (settings.mode() == HostSettings.Mode.HOST) {
            b.watcherGuard = new DeployWatcherGuard(systemContext, b.folder, listener);
            b.watcherGuard.start();
        }
        return b;
    }

    AllocatorCatalog catalog() {
        return catalog;
    }

    /**
     * The resolver's side of the allocator contract: a package from the system bundle that the contract allows, or
     * the bundle's own export; never a whole bundle ({@code Require-Bundle}) or a fragment host.
     */
    static void filterWires(BundleRevision requirer, BundleRequirement requirement, Collection<BundleCapability> candidates) {
        switch (requirement.getNamespace()) {
            case PackageNamespace.PACKAGE_NAMESPACE -> candidates.removeIf(c -> c.getRevision().getBundle() != requirer.getBundle()
                    && !(c.getRevision().getBundle().getBundleId() == 0
                    && c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE) instanceof String pkg
                    && AllocatorContract.allows(pkg)));
            case BundleNamespace.BUNDLE_NAMESPACE, HostNamespace.HOST_NAMESPACE -> candidates.clear();
            default -> {
                // osgi.ee, osgi.extender (SCR), osgi.identity: nothing to reach through
            }
        }
    }

    private LookasidePolicy adding(ServiceReference<LookasidePolicy> reference) {
        Bundle bundle = reference.getBundle();
        if (bundle == null || trust.isDriverLevel(bundle)) {
            return null;   // a driver cannot import the SPI; one that reached it anyway is not served
        }
        LookasidePolicy policy = context.getService(reference);
        if (policy == null) {
            return null;
        }
        String origin = origin(bundle);
        try {
            ClassPreload.Result loaded = preload(bundle);
            if (!loaded.failed().isEmpty()) {
                listener.driversFolder("allocators/: " + origin + " not added: its classes " + loaded.failed()
                        + " do not load");
                ungetQuietly(reference);
                return null;
            }
            if (catalog.deployed(policy, bundle.getVersion().toString(), origin)) {
                return policy;
            }
        } catch (RuntimeException e) {
            listener.driversFolder("allocators/: " + origin + " not added: " + e);
        }
        ungetQuietly(reference);
        return null;
    }

    /** Loads every class of the bundle, and what they name, through its class loader ({@link ClassPreload}). */
    private static ClassPreload.Result preload(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
        if (loader == null) {
            throw new IllegalStateException("bundle " + bundle.getSymbolicName() + " has no class loader");
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        Enumeration<URL> entries = bundle.findEntries("/", "*.class", true);
        while (entries != null && entries.hasMoreElements()) {
            URL url = entries.nextElement();
            try (InputStream in = url.openStream()) {
                classes.put(url.getPath().replaceFirst("^/", ""), in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + url.getPath() + " of " + bundle.getSymbolicName() + ": " + e.getMessage(), e);
            }
        }
        return ClassPreload.preload(loader, classes);
    }

    /** A bundle dropped into the folder (or replaced there) that wires beyond the allocator contract: one line. */
    private void judge(BundleEvent event) {
        if (event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED) {
            judge(event.getBundle());
        } else if (event.getType() == BundleEvent.UNINSTALLED) {
            refused.remove(event.getBundle().getBundleId());
        }
    }

    private void judge(Bundle bundle) {
        if (!trust.isAllocatorLevel(bundle)) {
            return;
        }
        Optional<String> refusal = AllocatorContract.refusal(bundle.getHeaders(""));
        if (refusal.isPresent()) {
            if (refused.add(bundle.getBundleId())) {
                listener.driversFolder("allocators/: cannot add " + origin(bundle) + ": " + refusal.get());
            }
        } else {
            refused.remove(bundle.getBundleId());
        }
    }

    /**
     * FileInstall's messages about this folder's bundles: none for a refused one (its refusal was said), one line
     * for the others; the rest go on to {@code drivers/}'s handler ({@link DeployFolder}).
     */
    private boolean fileInstallMessage(LogRecord r) {
        String message = r.getMessage() == null ? "" : r.getMessage();
        if (!message.contains(folder + File.separator)) {
            return previousFilter == null || previousFilter.isLoggable(r);
        }
        if (r.getLevel().intValue() < Level.WARNING.intValue()) {
            return false;
        }
        boolean aboutRefused = refused.stream().map(context::getBundle)
                .anyMatch(b -> b != null && message.endsWith(" " + b.getLocation()));
        if (!aboutRefused) {
            Throwable t = r.getThrown();
            String why = t == null ? "" : ": " + (t.getMessage() == null ? t.toString() : t.getMessage().lines().findFirst().orElse(""));
            listener.driversFolder("allocators/: FileInstall: " + message + why);
        }
        return false;
    }

    private void reap() {
        try {
            catalog.reap();
        } catch (RuntimeException e) {
            listener.hostFault("allocators/: checking the removed implementations failed: " + e, e);
        }
    }

    /** {@code allocators/NAME.jar}, or the location of a bundle from elsewhere. */
    private String origin(Bundle bundle) {
        Path file = BundleTrust.fileOf(bundle.getLocation());
        return file != null && folder.equals(file.getParent()) ? FOLDER + "/" + file.getFileName() : bundle.getLocation();
    }

    private void ungetQuietly(ServiceReference<?> reference) {
        try {
            context.ungetService(reference);
        } catch (IllegalStateException frameworkGone) {
            // nothing to give back
        }
    }

    /** Stops tracking; the implementations stay in the executive, which the host closes after the framework. */
    @Override
    public void close() {
        closing = true;
        if (watcherGuard != null) {
            watcherGuard.close();
        }
        reaper.shutdownNow();
        fileInstallLog.setFilter(previousFilter);
        try {
            context.removeBundleListener(refusals);
            tracker.close();
        } catch (IllegalStateException frameworkGone) {
            // the framework stopped first
        }
    }
}
