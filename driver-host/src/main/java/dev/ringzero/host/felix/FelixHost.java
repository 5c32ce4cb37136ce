package dev.ringzero.host.felix;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.ringzero.api.Owner;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DbgPrintSink;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.HostThreads;
import dev.ringzero.host.core.Interrupts;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.ExecutiveAssembly;
import dev.ringzero.host.core.ExitGuard;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.host.core.LifecycleGuard;
import dev.ringzero.host.debugger.KernelDebugger;
import dev.ringzero.host.jmx.HostBeans;
import dev.ringzero.host.jmx.LocalJmxConnector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The Ringzero host: the executive assembled from the launcher's module path ({@link ExecutiveAssembly}: the
 * pool and the lookaside machinery, named modules that open nothing), an embedded Apache Felix running the
 * platform bundles, and the driver extender that loads driver bundles through the {@link IoManager}.
 *
 * <h2>Start</h2>
 * {@link #start} finds the framework through {@link ServiceLoader}{@code <FrameworkFactory>}, exports
 * the platform API from the system bundle ({@code org.osgi.framework.system.packages.extra}; the API
 * jar is on the launcher's module path and never installed as a bundle), installs and starts the
 * platform bundles ({@link HostSettings}), assembles the executive and registers its services through the
 * system bundle (for the trusted bundles; drivers see no service at all), and opens the extender. Before any
 * bundle resolves it registers the resolver hook that wires drivers to the driver contract only
 * ({@link DriverContract}). The framework's storage is private to the host ({@code data/felix-<pid>}, then
 * {@code felix-<pid>-<n>} for more hosts in one JVM), cleaned at start and deleted at {@link #close}, so
 * two hosts never share it. While the host is open, a driver's {@code System.exit} or {@code Runtime.halt}
 * is its bug check, when the JVM runs the exit guard's agent ({@link dev.ringzero.host.core.ExitGuard}).
 *
 * <h2>Stop</h2>
 * Drivers are unloaded (their {@code DriverUnload} runs) before any platform bundle stops, whether the
 * host is closed, the framework is stopped from the shell, or the JVM is asked to exit.
 */
public final class FelixHost implements AutoCloseable {

    /** The package JFR's instrumented {@code commit} of an event calls into. */
    static final String JFR_EVENT_WRITER = "jdk.jfr.internal.event";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");
    /** Hosts started by this JVM: the second and later get storage folders of their own. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final HostSettings settings;
    private final Framework framework;
    /** The executive (pool, lookaside machinery), assembled from the module path; closed after the framework stops. */
    private final ExecutiveAssembly assembly;
    private final ExecutiveServices services;
    private final IoManager io;
    private final DriverExtender extender;
    private final DbgPrintLog dbgPrintLog;
    private final HostLog hostLog;
    /** The {@code drivers/} folder's bad jars ({@link HostSettings.Mode#HOST} only, else {@code null}). */
    private final DeployFolder deployFolder;
    private final CrashReports crashReports;
    private final HostListener listener;
    /** The user's listener shows each load's and unload's outcome (see {@link HostListener#echoesOutcomes}). */
    private final boolean outcomesEchoed;
    private final Path storage;
    private final ExecutorService janitor;
    /** Hot deploy's watcher kept alive (the long-running host only); null in {@code run}. */
    private DeployWatcherGuard deployWatcherGuard;
    /** Issue 21: the lookaside implementations of {@code allocators/}. */
    private AllocatorBundles allocatorBundles;
    private final Map<Long, DriverExtender.Tracked> requested = new ConcurrentHashMap<>();
    private final AtomicBoolean halted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<BugCheckReport, Path> crashReportFiles = new ConcurrentHashMap<>();
    private volatile boolean verifierByDefault;
    private StartupTimes times;
    /** The read-only MXBeans, and in the long-running host the local connector {@code ringzero poolmon} attaches to. */
    private HostBeans beans;
    private LocalJmxConnector jmxConnector;

    private FelixHost(HostSettings settings, Framework framework, ExecutiveAssembly assembly, ExecutiveServices services, DbgPrintSink sink,
                      DbgPrintLog dbgPrintLog, HostLog hostLog, DeployFolder deployFolder, HostListener listener, Path storage) {
        this.settings = settings;
        this.framework = framework;
        this.assembly = assembly;
        this.services = services;
        this.dbgPrintLog = dbgPrintLog;
        this.hostLog = hostLog;
        this.deployFolder = deployFolder;
        // the host log hears everything first; the folder learns which drivers/ jars did not load
        this.listener = deployFolder == null ? HostListener.all(hostLog, listener) : HostListener.all(hostLog, deployFolder, listener);
        this.outcomesEchoed = listener.echoesOutcomes();
        this.storage = storage;
        this.crashReports = new CrashReports(settings.logDir());
        this.janitor = Executors.newSingleThreadExecutor(HostThreads.factory("Ringzero host janitor"));
        this.io = new IoManager(services.executive(), sink, settings.watchdog());
        this.io.onBugCheck(this::onBugCheck);
        this.extender = new DriverExtender(framework.getBundleContext(), io, this.listener, settings.watchdog());
    }

    /**
     * Starts a host.
     *
     * @param listener told of driver loads and unloads, bug checks and host faults as they happen
     * @throws HostException ({@link HostException.Kind#FAULT}) when the framework, a platform bundle or an
     *         executive service fails; the framework is stopped again before it is thrown
     */
    public static FelixHost start(HostSettings settings, HostListener listener) throws HostException {
        long t0 = System.nanoTime();
        DbgPrintLog log;
        HostLog hostLog;
        Path storage;
        try {
            Files.createDirectories(settings.logDir());
            Files.createDirectories(settings.dataDir());
            if (settings.mode() == HostSettings.Mode.HOST) {
                Files.createDirectories(settings.driversDir());   // else FileInstall only complains
                Files.createDirectories(AllocatorBundles.folder(settings));   // issue 21: allocators/, watched too
            }
            log = DbgPrintLog.open(settings.logDir().resolve("dbgprint.log"));
            hostLog = HostLog.open(settings.logDir());
            int n = INSTANCES.getAndIncrement();
            storage = settings.dataDir().resolve("felix-" + ProcessHandle.current().pid() + (n == 0 ? "" : "-" + n));
            deleteStaleStorage(settings.dataDir());
        } catch (IOException e) {
            throw new HostException(HostException.Kind.FAULT, "cannot prepare " + settings.logDir() + " and "
                    + settings.dataDir() + ": " + e.getMessage(), e);
        }
        DbgPrintSink console = settings.console();
        DbgPrintSink sink = (driver, line) -> {
            try {
                console.line(driver, line);
            } catch (RuntimeException e) {
                listener.hostFault("the DbgPrint console failed: " + e, e);
            }
            log.line(driver, line);
        };
        if (settings.mode() == HostSettings.Mode.HOST && !settings.interactive()) {
            // Gogo's JLine makes a terminal even with --nointeractive; with no TTY it warns before falling back
            // to a dumb one. Ask for the dumb one directly (JLine reads this JVM-wide system property).
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        Framework framework = null;
        DeployFolder deployFolder = null;
        ExecutiveAssembly assembly = null;
        try {
            FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                    .orElseThrow(() -> new HostException(HostException.Kind.FAULT,
                            "no OSGi framework found (org.apache.felix.framework must be on the module path)"));
            framework = factory.newFramework(frameworkProperties(settings, storage));
            framework.init();
            // before any bundle resolves: drivers wire to the driver contract and the JDK only
            DriverWiring.register(framework.getBundleContext(), BundleTrust.of(settings));
            long t1 = System.nanoTime();
            if (settings.mode() == HostSettings.Mode.HOST) {
                deployFolder = new DeployFolder(framework.getBundleContext(), settings.driversDir(), fileInstallPoll(framework));
                deployFolder.catchFileInstallMessages();   // before FileInstall starts and takes its first look
            }

            List<Bundle> platform = installPlatformBundles(framework.getBundleContext(), settings);
            framework.start();
            for (Bundle b : platform) {
                if ((b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) == 0) {
                    try {
                        b.start();
                    } catch (BundleException e) {
                        throw new HostException(HostException.Kind.FAULT, "platform bundle " + b.getSymbolicName()
                                + " (" + b.getLocation() + ") does not start: " + e.getMessage(), e);
                    }
                }
            }
            long t2 = System.nanoTime();

            // the executive: named modules on the launcher's module path, assembled here, not bundles SCR starts
            try {
                assembly = ExecutiveAssembly.assemble(settings.dataDir(), System::nanoTime, true);
            } catch (IllegalStateException | java.util.ServiceConfigurationError e) {
                throw new HostException(HostException.Kind.FAULT, "the executive cannot be assembled: " + e.getMessage(), e);
            }
            ExecutiveServices services = ExecutiveServices.register(framework.getBundleContext(), assembly.executive(),
                    BundleTrust.of(settings));
            long t3 = System.nanoTime();

            FelixHost host = new FelixHost(settings, framework, assembly, services, sink, log, hostLog, deployFolder, listener, storage);
            host.open();
            long t4 = System.nanoTime();
            host.times = new StartupTimes(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1),
                    Duration.ofNanos(t3 - t2), Duration.ofNanos(t4 - t3));
            return host;
        } catch (HostException e) {
            abandon(framework, log, storage);
            closeQuietly(assembly);
            closeQuietly(hostLog);
            if (deployFolder != null) {
                deployFolder.close();
            }
            throw e;
        } catch (BundleException | RuntimeException e) {
            abandon(framework, log, storage);
            closeQuietly(assembly);
            closeQuietly(hostLog);
            if (deployFolder != null) {
                deployFolder.close();
            }
            throw new HostException(HostException.Kind.FAULT, "the OSGi framework failed to start: " + e.getMessage(), e);
        }
    }

    private void open() {
        BundleContext context = framework.getBundleContext();
        // When the framework stops (the shell's "stop 0", a halt, the JVM exiting), unload the drivers first:
        // this runs on Felix's shutdown thread before any bundle stops, so the executive is still all there.
        context.addBundleListener((SynchronousBundleListener) event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                extender.unloadAll();
            }
        });
        ExecutiveHiding.register(context, BundleTrust.of(settings));
        ExitGuard.watch(io);   // before any driver loads: a driver's System.exit/Runtime.halt is its bug check
        LifecycleGuard.watch(io);   // and its Bundle.stop, getBundleContext, ... (the framework's lifecycle)
        extender.open();
        allocatorBundles = AllocatorBundles.open(context, settings, services.executive(), listener);   // issue 21
        if (settings.mode() == HostSettings.Mode.HOST) {
            deployWatcherGuard = new DeployWatcherGuard(context, settings.driversDir(), listener);
            deployWatcherGuard.start();
        }
        if (deployFolder != null) {
            deployFolder.open(this::driversFolder);
        }
        // the kd shell bundle (system/shell) puts Gogo's commands on it; its package is the system bundle's to export
        context.registerService(KernelDebugger.class, new KdCommands(this), null);
        beans = HostBeans.register(storage.toString(), io, this::verifierByDefault);
        jmxConnector = settings.mode() == HostSettings.Mode.HOST ? publishJmx() : null;
    }

    /** The local JMX connector; without it the host runs on (only {@code ringzero poolmon} cannot attach). */
    private LocalJmxConnector publishJmx() {
        try {
            return LocalJmxConnector.publish(settings.dataDir());
        } catch (IOException | RuntimeException e) {
            listener.hostFault("no local JMX connector for ringzero poolmon: " + e.getMessage(), e);
            return null;
        }
    }

    /** A line about a jar in {@code drivers/}: to the host log and the user. */
    private void driversFolder(String line) {
        listener.driversFolder(line);
    }

    /** Switches the verifier on or off for every driver loaded from now on ({@code ExecutivePool.setVerifiedByDefault}). */
    public void setVerifierByDefault(boolean on) {
        verifierByDefault = on;
        services.executive().pool().setVerifiedByDefault(on);
    }

    public boolean verifierByDefault() {
        return verifierByDefault;
    }

    /** Whether the console already shows each load's and unload's outcome ({@link HostListener#echoesOutcomes}). */
    public boolean outcomesEchoed() {
        return outcomesEchoed;
    }

    /** The crash report written for a bug check, or {@code null}. */
    public Path crashReport(BugCheckReport report) {
        return crashReportFiles.get(report);
    }

    /**
     * Unloads a driver by name, through its bundle: a bundle {@link #load} installed is uninstalled, one
     * FileInstall (or anyone else) installed is stopped. Its {@code DriverUnload} runs.
     *
     * @return what the unload found; empty when no driver bundle of that name is tracked
     */
    public List<String> unloadDriver(String name) {
        return Interrupts.deferred(() -> unloadDriverNow(name));
    }

    private List<String> unloadDriverNow(String name) {
        DriverExtender.Tracked t = extender.tracked(name).orElse(null);
        if (t == null) {
            return List.of();
        }
        DriverExtender.Tracked mine = requested.remove(t.bundle.getBundleId());
        try {
            if (mine != null) {
                t.bundle.uninstall();
            } else {
                t.bundle.stop();
            }
            return awaitUnloaded(t);
        } catch (BundleException | IllegalStateException | ExecutionException | TimeoutException e) {
            return List.of(name + ": the unload did not finish: " + e.getMessage());
        }
    }

    /**
     * Waits for a tracked driver's {@code DriverEntry} outcome: the watchdog bounds it, and a margin. Not cut
     * short by an interrupt of the calling thread (a driver may have interrupted it).
     */
    private DriverOutcome awaitLoaded(DriverExtender.Tracked t) throws ExecutionException, TimeoutException {
        return Uninterruptibles.getUninterruptibly(t.loaded, settings.watchdog().toMillis() + 30_000, TimeUnit.MILLISECONDS);
    }

    /** Waits for a tracked driver's unload: its {@code DriverUnload} and teardown, each bounded by the watchdog. */
    private List<String> awaitUnloaded(DriverExtender.Tracked t) throws ExecutionException, TimeoutException {
        return Uninterruptibles.getUninterruptibly(t.unloaded, settings.watchdog().multipliedBy(2).toMillis() + 30_000,
                TimeUnit.MILLISECONDS);
    }

    /** How long the start took, phase by phase. */
    public StartupTimes startupTimes() {
        return times;
    }

    public HostSettings settings() {
        return settings;
    }

    public IoManager ioManager() {
        return io;
    }

    public Executive executive() {
        return services.executive();
    }

    /** Issue 21: the lookaside implementations, built-in and deployed in {@code allocators/}, as kd:allocators shows them. */
    public dev.ringzero.host.allocators.AllocatorCatalog allocators() {
        return allocatorBundles.catalog();
    }

    public Framework framework() {
        return framework;
    }

    /** Whether a bug check stopped the host ({@link HostSettings#haltOnBugCheck}). */
    public boolean halted() {
        return halted.get();
    }

    /**
     * Installs and starts a driver bundle and waits for its {@code DriverEntry} (at most the watchdog,
     * and a little).
     *
     * @throws HostException ({@link HostException.Kind#USAGE}) when the jar is missing, corrupt, no
     *         driver bundle, already installed, or does not resolve; nothing stays installed then
     */
    public DriverLoad load(Path jar) throws HostException {
        try {
            return Interrupts.deferred(() -> install(jar));
        } catch (HostException e) {
            if (e.kind() == HostException.Kind.USAGE) {
                hostLog.line(e.getMessage());   // the caller prints it; the log keeps it
            }
            throw e;
        }
    }

    private DriverLoad install(Path jar) throws HostException {
        DriverJar driverJar = DriverJar.inspect(jar);
        // the extender's check: a driver wires to the driver contract and the JDK only (DriverWiring holds it later)
        java.util.Optional<String> refused = driverJar.contractRefusal();
        if (refused.isPresent()) {
            throw new HostException(HostException.Kind.USAGE, "cannot load " + jar + ": " + refused.get());
        }
        BundleContext context = framework.getBundleContext();
        String location = location(jar);
        if (context.getBundle(location) != null) {
            throw new HostException(HostException.Kind.USAGE, jar + " is already installed");
        }
        Bundle bundle;
        try {
            bundle = context.installBundle(location);
        } catch (BundleException | IllegalStateException e) {
            throw new HostException(HostException.Kind.USAGE, "cannot install " + jar + ": " + e.getMessage(), e);
        }
        CompletableFuture<DriverExtender.Tracked> seen = extender.expect(bundle);
        try {
            bundle.start();
        } catch (BundleException e) {
            extender.forget(bundle);
            String why = Unresolved.why(bundle, framework.adapt(FrameworkWiring.class), e);
            uninstallQuietly(bundle);
            throw new HostException(HostException.Kind.USAGE, "cannot load " + jar + ": " + why, e);
        } catch (IllegalStateException e) {
            extender.forget(bundle);
            uninstallQuietly(bundle);
            throw new HostException(HostException.Kind.USAGE, "cannot start " + jar + ": " + e.getMessage(), e);
        }
        try {
            // the tracker sees the bundle during start(): this is done already
            DriverExtender.Tracked t = Uninterruptibles.getUninterruptibly(seen, settings.serviceTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            requested.put(bundle.getBundleId(), t);
            return new DriverLoad(driverJar, bundle, awaitLoaded(t));
        } catch (ExecutionException e) {
            uninstallQuietly(bundle);
            throw new HostException(HostException.Kind.USAGE, "not a driver bundle: " + jar + " (" + e.getCause().getMessage() + ")");
        } catch (TimeoutException e) {
            throw new HostException(HostException.Kind.FAULT, "the host did not load " + jar + " in time");
        }
    }

    /**
     * Uninstalls a bundle {@link #load} installed: its bundle stops, so its driver's {@code DriverUnload}
     * runs if the driver is loaded.
     *
     * @return what the unload found, one line each (empty when the driver was not loaded)
     */
    public List<String> unload(DriverLoad load) throws HostException {
        return Interrupts.deferred(() -> unloadNow(load));
    }

    private List<String> unloadNow(DriverLoad load) throws HostException {
        DriverExtender.Tracked t = requested.remove(load.bundle().getBundleId());
        try {
            if (load.bundle().getState() != Bundle.UNINSTALLED) {
                load.bundle().uninstall();
            }
        } catch (BundleException | IllegalStateException e) {
            if (load.bundle().getState() != Bundle.UNINSTALLED && framework.getState() == Bundle.ACTIVE) {
                throw new HostException(HostException.Kind.FAULT, "cannot uninstall " + load.jar().path() + ": " + e.getMessage(), e);
            }
        }
        if (t == null) {
            return List.of();
        }
        try {
            return awaitUnloaded(t);
        } catch (ExecutionException | TimeoutException e) {
            throw new HostException(HostException.Kind.FAULT, "the unload of " + load.outcome().name() + " did not finish");
        }
    }

    /** Blocks until the framework has stopped (the shell's {@code stop 0}, a halt, {@link #close}). */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    private void onBugCheck(BugCheckReport report) {
        Path file = crashReports.write(report, services.executive());
        if (file != null) {
            crashReportFiles.put(report, file);
        }
        listener.bugCheck(report, file);
        // a fault on one of a driver's system threads: unload that driver (its memory is reclaimed, or it is
        // quarantined if its threads do not end); the other drivers go on
        String name = report.owner().name();
        if (!settings.haltOnBugCheck() && report.phase().startsWith(name + ": ")) {
            io.driver(name).filter(d -> d.owner().equals(report.owner())
                            && (d.state() == DriverState.LOADED || d.state() == DriverState.LOADING))
                    .ifPresent(d -> janitor.execute(() -> unloadFaulted(name, report.owner())));
        }
        if (settings.haltOnBugCheck() && halted.compareAndSet(false, true)) {
            // never from this thread: it may be the I/O manager's, which the stop waits for
            janitor.execute(() -> {
                try {
                    framework.stop();
                } catch (BundleException | RuntimeException e) {
                    listener.hostFault("cannot halt the host: " + e.getMessage(), e);
                }
            });
        }
    }

    /**
     * Unloads a driver one of whose system threads faulted. The thread may have faulted while the driver's
     * {@code DriverEntry}, which started it, was still running: then the unload waits for DriverEntry's
     * outcome (the watchdog bounds it), and happens only if the driver ended up loaded — a failed
     * DriverEntry has already unloaded it, a hung one is quarantined.
     */
    private void unloadFaulted(String name, Owner owner) {
        DriverExtender.Tracked t = extender.tracked(name).orElse(null);
        if (t != null) {
            try {
                awaitLoaded(t);
            } catch (ExecutionException | TimeoutException e) {
                // no outcome to wait for: the state below decides
            }
        }
        if (io.driver(name).filter(d -> d.owner().equals(owner) && d.state() == DriverState.LOADED).isPresent()) {
            List<String> notes = unloadDriver(name);
            if (!notes.isEmpty()) {
                listener.driverUnloaded(null, name, notes);
            }
        }
    }

    /** Unloads every driver, stops the framework and deletes its storage. Idempotent. */
    @Override
    public void close() {
        Interrupts.deferred(() -> {
            closeNow();
            return null;
        });
    }

    private void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (deployWatcherGuard != null) {
            deployWatcherGuard.close();
        }
        try {
            if (deployFolder != null) {
                deployFolder.close();
            }
            extender.unloadAll();
            extender.close();
        } catch (IllegalStateException frameworkGone) {
            // the framework stopped on its own; its stop already unloaded the drivers
        }
        if (allocatorBundles != null) {
            allocatorBundles.close();   // issue 21
        }
        try {
            services.close();
        } catch (IllegalStateException frameworkGone) {
            // as above
        }
        ExitGuard.unwatch(io);   // after the unloads: a DriverUnload that exits is still refused
        LifecycleGuard.unwatch(io);
        if (jmxConnector != null) {
            jmxConnector.close();
        }
        if (beans != null) {
            beans.close();
        }
        abandon(framework, dbgPrintLog, storage);
        closeQuietly(assembly);   // last: nothing runs on the pool any more
        closeQuietly(hostLog);
        janitor.shutdown();
    }

    private static void closeQuietly(ExecutiveAssembly assembly) {
        if (assembly != null) {
            try {
                assembly.close();
            } catch (RuntimeException e) {
                // the host is failing already; the pool's page file goes with the next start's clean-up
            }
        }
    }

    private static void closeQuietly(HostLog log) {
        try {
            log.close();
        } catch (IOException e) {
            // nothing left to tell
        }
    }

    /** How often FileInstall looks at {@code drivers/} ({@code felix.fileinstall.poll}); the folder's own look follows it. */
    private static Duration fileInstallPoll(Framework framework) {
        try {
            return Duration.ofMillis(Math.max(50, Long.parseLong(framework.getBundleContext().getProperty("felix.fileinstall.poll"))));
        } catch (NumberFormatException | NullPointerException unset) {
            return Duration.ofSeconds(1);
        }
    }

    /** Stops the framework (waiting for it), closes the log and deletes the storage; reports nothing. */
    private static void abandon(Framework framework, DbgPrintLog log, Path storage) {
        if (framework != null) {
            try {
                framework.stop();
                framework.waitForStop(TimeUnit.SECONDS.toMillis(60));
            } catch (BundleException | RuntimeException e) {
                // stopping anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            log.close();
        } catch (IOException e) {
            // nothing left to tell
        }
        deleteTree(storage);
    }

    static String location(Path jar) {
        return "reference:" + jar.toAbsolutePath().normalize().toUri();
    }

    private static void uninstallQuietly(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            // already gone
        }
    }

    /** The platform bundles for the mode: {@code system/*.jar}; for the host also {@code system/shell/}, {@code system/deploy/}. */
    static List<Path> platformBundles(HostSettings settings) throws HostException {
        List<Path> jars = new ArrayList<>(jarsIn(settings.systemDir()));
        if (jars.isEmpty()) {
            throw new HostException(HostException.Kind.FAULT, "no platform bundles in " + settings.systemDir());
        }
        if (settings.mode() == HostSettings.Mode.HOST) {
            jars.addAll(jarsIn(settings.systemDir().resolve("shell")));
            jars.addAll(jarsIn(settings.systemDir().resolve("deploy")));
        }
        return jars;
    }

    private static List<Path> jarsIn(Path dir) throws HostException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new HostException(HostException.Kind.FAULT, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Bundle> installPlatformBundles(BundleContext context, HostSettings settings) throws HostException {
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : platformBundles(settings)) {
            try {
                installed.add(context.installBundle(location(jar)));
            } catch (BundleException e) {
                throw new HostException(HostException.Kind.FAULT, "cannot install platform bundle " + jar + ": " + e.getMessage(), e);
            }
        }
        return installed;
    }

    /**
     * The framework's properties: {@code etc/config.properties} ({@code ${ringzero.home}} and the other
     * {@code ringzero.*} values substituted), then what the layout and mode decide, then the settings'
     * own.
     */
    static Map<String, String> frameworkProperties(HostSettings settings, Path storage) throws HostException {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ringzero.home", settings.home().toString());
        vars.put("ringzero.etc", settings.etcDir().toString());
        vars.put("ringzero.data", settings.dataDir().toString());
        vars.put("ringzero.log", settings.logDir().toString());
        vars.put("ringzero.drivers", settings.driversDir().toString());

        Map<String, String> props = new LinkedHashMap<>();
        Path config = settings.etcDir().resolve("config.properties");
        if (Files.isRegularFile(config)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new HostException(HostException.Kind.FAULT, "cannot read " + config + ": " + e.getMessage(), e);
            }
            for (String key : p.stringPropertyNames().stream().sorted().toList()) {
                props.put(key, substitute(p.getProperty(key), vars));
            }
        }
        props.putAll(vars);
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, ApiPackages.systemPackagesExtra());
        // a JFR event class's commit, as JFR instruments it, calls jdk.jfr.internal.event.EventWriter: a bundle's
        // events (the pool's, the lookaside machinery's while they are bundles) must find it through the boot loader
        props.merge(Constants.FRAMEWORK_BOOTDELEGATION, JFR_EVENT_WRITER, (configured, jfr) -> configured + "," + jfr);
        // drivers/, and issue 21's allocators/ (FileInstall takes a comma-separated list: one watcher each)
        props.put("felix.fileinstall.dir", settings.driversDir() + "," + AllocatorBundles.folder(settings));
        // FileInstall logs to java.util.logging, where DeployFolder makes each message one line (a bundle that
        // does not resolve: the missing packages named), never a stack trace on the console
        props.put("felix.fileinstall.log.default", "jul");
        // no URL handlers: the host needs none (bundle locations are reference:file:), and without them Felix sets no
        // JVM-wide URL stream handler factory, which took deep reflection into java.net and sun.misc.Unsafe
        props.put("felix.service.urlhandlers", "false");
        props.put("gosh.home", settings.home().toString());
        if (!settings.interactive()) {
            props.put("gosh.args", "--nointeractive");
        }
        props.putAll(settings.frameworkProperties());
        return props;
    }

    static String substitute(String value, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = vars.getOrDefault(m.group(1), m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Deletes {@code felix-<pid>[-<n>]} storage folders of host processes that are gone. */
    private static void deleteStaleStorage(Path dataDir) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir, "felix-*")) {
            for (Path dir : dirs) {
                String pid = dir.getFileName().toString().substring("felix-".length()).split("-")[0];
                try {
                    if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // left for the next start's clean-up
        }
    }
}
