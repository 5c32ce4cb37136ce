package dev.ringzero.host.felix;

import dev.ringzero.host.core.DriverOutcome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * One clear line for every jar in {@code drivers/} that does not load, when it is dropped there and when it
 * is removed. FileInstall installs the bundles it can read and says nothing of the rest (an empty file,
 * random bytes, a jar with no bundle manifest are retried silently at every poll), so the host looks at
 * the folder itself:
 * <ul>
 *   <li>every {@code .jar} that has stayed the same for one poll (so a copy in progress is not judged) is
 *       checked as {@code ringzero run} checks its jars ({@link DriverJar#inspect}): a corrupt jar or one
 *       that is no driver bundle is one line, and its removal another;</li>
 *   <li>FileInstall only installs ({@code felix.fileinstall.bundles.new.start=false}); the host starts the
 *       driver bundles it installed, so a bundle that does not resolve is one line naming the missing
 *       packages ({@link Unresolved}) instead of FileInstall's logged stack trace — and a bundle in
 *       {@code drivers/} that is no driver is never started;</li>
 *   <li>a driver whose load was refused (its entry class missing, its name taken) is reported by its
 *       load's own line; its removal is one line here.</li>
 * </ul>
 */
final class DeployFolder implements BundleListener, FrameworkListener, HostListener {

    private final BundleContext context;
    private final FrameworkWiring wiring;
    private final Path dir;
    private final Duration poll;
    private final Consumer<String> report;
    private final ScheduledExecutorService thread;
    /** What each file looked like at the last scan, and whether it was reported bad. */
    private final Map<Path, Seen> seen = new HashMap<>();
    /** Bundles from {@code drivers/} whose driver did not load, reported when they are removed. */
    private final Set<Long> notLoaded = ConcurrentHashMap.newKeySet();
    /**
     * Bundles FileInstall installed or updated and the host has yet to start. FileInstall refreshes what it
     * installed right after installing it, and a refresh stops and restarts an active bundle: starting before
     * it would run {@code DriverEntry} twice. So they start at the refresh's {@code PACKAGES_REFRESHED}, or at
     * the second look at the folder after their install if that event never comes.
     */
    private final Map<Long, Bundle> toStart = new ConcurrentHashMap<>();
    private final Set<Long> waitedOneLook = ConcurrentHashMap.newKeySet();

    private record Seen(long size, long modified, boolean judged, boolean bad) {
        boolean sameFile(long s, long m) {
            return size == s && modified == m;
        }
    }

    DeployFolder(BundleContext context, Path dir, Duration poll, Consumer<String> report) {
        this.context = context;
        this.wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        this.dir = dir.toAbsolutePath().normalize();
        this.poll = poll;
        this.report = report;
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("Ringzero drivers/ folder").daemon(true).factory());
    }

    void open() {
        context.addBundleListener(this);
        context.addFrameworkListener(this);
        // FileInstall's first scan (install and refresh) ran while the platform started, before these listeners
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.INSTALLED || b.getState() == Bundle.RESOLVED) {
                thread.execute(() -> start(b));
            }
        }
        thread.scheduleWithFixedDelay(this::look, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    void close() {
        try {
            context.removeBundleListener(this);
            context.removeFrameworkListener(this);
        } catch (IllegalStateException frameworkGone) {
            // nothing left to listen to
        }
        thread.shutdownNow();
    }

    /** A driver from {@code drivers/} that did not load: its removal will be reported. */
    @Override
    public void driverLoaded(Bundle bundle, DriverOutcome outcome) {
        if (bundle != null && !outcome.loaded() && fileOf(bundle) != null) {
            notLoaded.add(bundle.getBundleId());
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UPDATED -> {
                if (fileOf(b) != null) {
                    notLoaded.remove(b.getBundleId());
                    toStart.put(b.getBundleId(), b);
                }
            }
            case BundleEvent.UNINSTALLED -> {
                Path file = fileOf(b);
                if (file != null && notLoaded.remove(b.getBundleId())) {
                    report.accept("drivers/: " + file + " removed; its driver was not loaded");
                }
            }
            default -> {
                // started, stopped, resolved: the extender and the load's own lines tell those
            }
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
            execute(() -> startWaiting(false));
        }
    }

    /** Starts the bundles waiting to start: all of them, or ({@code secondLook}) those seen at the last look too. */
    private void startWaiting(boolean secondLook) {
        for (Long id : List.copyOf(toStart.keySet())) {
            if (!secondLook || !waitedOneLook.add(id)) {
                Bundle b = toStart.remove(id);
                waitedOneLook.remove(id);
                if (b != null) {
                    start(b);
                }
            }
        }
    }

    /** Starts a driver bundle FileInstall installed from {@code drivers/}; one line when it cannot start. */
    private void start(Bundle b) {
        Path file = fileOf(b);
        if (file == null || b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING
                || b.getState() == Bundle.UNINSTALLED || !isDriverBundle(b)) {
            return;
        }
        try {
            b.start();
        } catch (BundleException e) {
            notLoaded.add(b.getBundleId());
            report.accept("drivers/: cannot load " + file + ": " + Unresolved.why(b, wiring, e) + "; not loaded");
        } catch (IllegalStateException uninstalled) {
            // removed meanwhile
        }
    }

    private static boolean isDriverBundle(Bundle b) {
        try {
            String entry = b.getHeaders("").get(DriverJar.DRIVER_HEADER);
            BundleRevision r = b.adapt(BundleRevision.class);
            return entry != null && !entry.isBlank() && (r == null || (r.getTypes() & BundleRevision.TYPE_FRAGMENT) == 0);
        } catch (IllegalStateException uninstalled) {
            return false;
        }
    }

    /** The jar in {@code drivers/} a bundle was installed from (FileInstall's {@code file:} location), or {@code null}. */
    private Path fileOf(Bundle b) {
        String location = b.getLocation();
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path p = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return dir.equals(p.getParent()) ? p : null;
        } catch (IllegalArgumentException notAFile) {
            return null;
        }
    }

    private void look() {
        startWaiting(true);
        scan();
    }

    /** One look at the folder: judge jars that stayed the same since the last look; report removed bad ones. */
    private void scan() {
        try {
            Map<Path, Seen> now = new HashMap<>();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f)).toList()) {
                        long size = Files.size(p);
                        long modified = Files.getLastModifiedTime(p).toMillis();
                        Seen before = seen.get(p);
                        if (before == null || !before.sameFile(size, modified)) {
                            now.put(p, new Seen(size, modified, false, false));   // new or changing: judged at the next look
                        } else if (!before.judged()) {
                            now.put(p, new Seen(size, modified, true, judge(p)));
                        } else {
                            now.put(p, before);
                        }
                    }
                }
            }
            seen.forEach((p, s) -> {
                if (s.bad() && !now.containsKey(p)) {
                    report.accept("drivers/: " + p + " removed; it was never loaded");
                }
            });
            seen.clear();
            seen.putAll(now);
        } catch (IOException | RuntimeException e) {
            // the folder changed under the look (a file deleted between list and size): the next look sees it
        }
    }

    /** {@code true} (and one line) when the jar is no driver bundle the host could load. */
    private boolean judge(Path jar) {
        try {
            DriverJar.inspect(jar);
            return false;
        } catch (HostException e) {
            report.accept("drivers/: " + e.getMessage() + "; not loaded");
            return true;
        }
    }

    private void execute(Runnable r) {
        try {
            thread.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the host is stopping
        }
    }
}
