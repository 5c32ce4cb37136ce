package dev.ringzero.host.felix;

import dev.ringzero.host.core.DriverOutcome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.wiring.FrameworkWiring;
import dev.ringzero.host.launch.HostException;
import dev.ringzero.host.manifest.DriverJar;

/**
 * One clear line for every jar in {@code drivers/} that does not load, when it is dropped there and when it
 * is removed, on the console and in {@code log/host.log}. FileInstall installs and starts what it can read
 * and says nothing of the rest — an empty file, random bytes, a jar with no bundle manifest are retried
 * silently at every poll — and reports a bundle that does not resolve with the framework's stack trace. So:
 * <ul>
 *   <li>the host looks at the folder on FileInstall's poll: every {@code .jar} that has stayed the same
 *       for one look (a copy in progress is not judged) is checked as {@code ringzero run} checks its jars
 *       ({@link DriverJar#inspect}); a corrupt jar or one that is no driver bundle is one line, and its
 *       removal another;</li>
 *   <li>FileInstall logs through {@code java.util.logging} ({@code felix.fileinstall.log.default=jul}) to
 *       a handler here: a driver bundle of this folder that does not start is one line naming the packages
 *       nothing exports ({@link Unresolved}), any other FileInstall message one line without its stack
 *       trace;</li>
 *   <li>a driver whose load was refused (entry class missing, name taken) is reported by its load's own
 *       line; its removal is one line here.</li>
 * </ul>
 */
final class DeployFolder implements BundleListener, HostListener {

    /** FileInstall's {@code java.util.logging} logger (its {@code Util.DefaultLogger} with {@code log.default=jul}). */
    static final String FILEINSTALL_LOGGER = "fileinstall";

    private final BundleContext context;
    private final FrameworkWiring wiring;
    private final Path dir;
    private final Duration poll;
    /** Where the lines go; {@code null} until {@link #open}: FileInstall's messages from the host's start wait for it. */
    private volatile Consumer<String> report;
    private final List<LogRecord> beforeOpen = new ArrayList<>();
    private final ScheduledExecutorService thread;
    /** What each file looked like at the last look, and whether it was reported bad (the look's thread only). */
    private final Map<Path, Seen> seen = new HashMap<>();
    /** Bundles from {@code drivers/} whose driver did not load, reported when they are removed. */
    private final Set<Long> notLoaded = ConcurrentHashMap.newKeySet();
    /** Held strongly: {@code java.util.logging} keeps loggers only weakly, and would drop the handler with it. */
    private final Logger fileInstallLog = Logger.getLogger(FILEINSTALL_LOGGER);
    private final Handler fileInstallHandler = new FileInstallMessages();

    private record Seen(long size, long modified, boolean judged, boolean bad) {
        boolean sameFile(long s, long m) {
            return size == s && modified == m;
        }
    }

    DeployFolder(BundleContext context, Path dir, Duration poll) {
        this.context = context;
        this.wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        this.dir = dir.toAbsolutePath().normalize();
        this.poll = poll;
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("Ringzero drivers/ folder").daemon(true).factory());
    }

    /**
     * Takes FileInstall's messages from now on — before the platform starts, so that what its first look at
     * the folder finds is told too (at {@link #open}) — and keeps them off the root handler, which would print
     * each with its stack trace on standard error.
     */
    void catchFileInstallMessages() {
        fileInstallLog.setUseParentHandlers(false);
        fileInstallLog.addHandler(fileInstallHandler);
    }

    /** Starts telling {@code lines}: what FileInstall said so far, then every look at the folder. */
    void open(Consumer<String> lines) {
        List<LogRecord> early;
        synchronized (beforeOpen) {
            report = lines;
            early = List.copyOf(beforeOpen);
            beforeOpen.clear();
        }
        early.forEach(fileInstallHandler::publish);
        context.addBundleListener(this);
        thread.scheduleWithFixedDelay(this::look, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    void close() {
        fileInstallLog.removeHandler(fileInstallHandler);
        try {
            context.removeBundleListener(this);
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
            case BundleEvent.UPDATED -> notLoaded.remove(b.getBundleId());   // a new jar: judged afresh
            case BundleEvent.UNINSTALLED -> {
                Path file = fileOf(b);
                if (file != null && notLoaded.remove(b.getBundleId())) {
                    report.accept("drivers/: " + file + " removed; its driver was not loaded");
                }
            }
            default -> {
                // installed, started, stopped: FileInstall, the extender and the load's own line tell those
            }
        }
    }

    /**
     * FileInstall's messages, one line each. A bundle of this folder that does not start (FileInstall says
     * {@code Error while starting bundle: LOCATION} with the framework's exception) is named by its file and
     * the packages it misses, once until its jar changes: FileInstall retries and says it again whenever
     * another bundle comes or goes.
     */
    private final class FileInstallMessages extends Handler {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() < Level.WARNING.intValue()) {
                return;
            }
            synchronized (beforeOpen) {
                if (report == null) {
                    beforeOpen.add(r);
                    return;
                }
            }
            String message = r.getMessage() == null ? "" : r.getMessage();
            Bundle failed = r.getThrown() instanceof BundleException ? bundleNamedIn(message) : null;
            if (failed != null) {
                if (notLoaded.add(failed.getBundleId())) {
                    report.accept("drivers/: cannot load " + fileOf(failed) + ": "
                            + Unresolved.why(failed, wiring, (BundleException) r.getThrown()) + "; not loaded");
                }
                return;
            }
            Throwable t = r.getThrown();
            String why = t == null ? "" : ": " + (t.getMessage() == null ? t.toString() : t.getMessage().lines().findFirst().orElse(""));
            report.accept("drivers/: FileInstall: " + message + why);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** The bundle of this folder whose location ends {@code message} ({@code Error while starting bundle: LOCATION}), or {@code null}. */
    private Bundle bundleNamedIn(String message) {
        try {
            for (Bundle b : context.getBundles()) {
                if (fileOf(b) != null && message.endsWith(" " + b.getLocation())) {
                    return b;
                }
            }
        } catch (IllegalStateException frameworkGone) {
            // stopping
        }
        return null;
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

    /** One look at the folder: judge jars that stayed the same since the last look; report removed bad ones. */
    private void look() {
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
}
