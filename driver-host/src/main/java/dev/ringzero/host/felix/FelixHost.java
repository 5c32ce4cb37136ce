package dev.ringzero.host.felix;

import dev.ringzero.host.allocators.AllocatorCatalog;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DbgPrintSink;
import dev.ringzero.host.core.DriverOutcome;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.host.launch.HostException;
import dev.ringzero.host.launch.StartupTimes;
import dev.ringzero.host.reports.CrashReports;
import dev.ringzero.host.reports.DbgPrintLog;
import dev.ringzero.host.manifest.DriverJar;
import dev.ringzero.host.kd.KdCommands;
import dev.ringzero.host.kd.KdHost;
import dev.ringzero.host.core.DriverOutcome;

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
 * ({@link dev.ringzero.host.manifest.DriverContract}). The framework's storage is private to the host ({@code data/felix-<pid>}, then
 * {@code felix-<pid>-<n>} for more hosts in one JVM), cleaned at start and deleted at {@link #close}, so
 * two hosts never share it. While the host is open, a driver's {@code System.exit} or {@code Runtime.halt}
 * is its bug check, when the JVM runs the exit guard's agent ({@link dev.ringzero.host.core.ExitGuard}).
 *
 * <h2>Stop</h2>
 * Drivers are unloaded (their {@code DriverUnload} runs) before any platform bundle stops, whether the
 * host is closed, the framework is stopped from the shell, or the JVM is asked to exit.
 */
public final class FelixHost implements AutoCloseable, KdHost {

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
    /** The jar loader: {@link #load}, {@link #unload}, {@link #unloadDriver}. */
    private final DriverLoader loader;
    /** Crash report, then halt or unload the faulted driver. */
    private final BugCheckPolicy bugChecks;
    /** Issue 21: the lookaside implementations of {@code allocators/}. */
    private AllocatorBundles allocatorBundles;
    private final AtomicBoolean closed = new AtomicBoolean();
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
        this.extender = new DriverExtender(framework.getBundleContext(), io, this.listener, settings.watchdog());
        this.loader = new DriverLoader(framework, settings, extender, hostLog);
        this.bugChecks = new BugCheckPolicy(settings, framework, io, loader, extender, crashReports, this.listener, janitor);
        this.io.onBugCheck(bugChecks::onBugCheck);
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
            FrameworkSetup.deleteStaleStorage(settings.dataDir());
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
            framework = factory.newFramework(FrameworkSetup.frameworkProperties(settings, storage));
            framework.init();
            // before any bundle resolves: drivers wire to the driver contract and the JDK only
            DriverWiring.register(framework.getBundleContext(), BundleTrust.of(settings));
            long t1 = System.nanoTime();
            if (settings.mode() == HostSettings.Mode.HOST) {
                deployFolder = new DeployFolder(framework.getBundleContext(), settings.driversDir(), FrameworkSetup.fileInstallPoll(framework));
                deployFolder.catchFileInstallMessages();   // before FileInstall starts and takes its first look
            }

            List<Bundle> platform = FrameworkSetup.installPlatformBundles(framework.getBundleContext(), settings);
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
            FrameworkSetup.abandon(framework, log, storage);
            closeQuietly(assembly);
            closeQuietly(hostLog);
            if (deployFolder != null) {
                deployFolder.close();
            }
            throw e;
        } catch (BundleException | RuntimeException e) {
            FrameworkSetup.abandon(framework, log, storage);
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
    @Override
    public void setVerifierByDefault(boolean on) {
        verifierByDefault = on;
        services.executive().pool().setVerifiedByDefault(on);
    }

    @Override
    public boolean verifierByDefault() {
        return verifierByDefault;
    }

    /** Whether the console already shows each load's and unload's outcome ({@link HostListener#echoesOutcomes}). */
    @Override
    public boolean outcomesEchoed() {
        return outcomesEchoed;
    }

    /** The crash report written for a bug check, or {@code null}. */
    @Override
    public Path crashReport(BugCheckReport report) {
        return crashReports.fileOf(report);
    }

    /**
     * Installs and starts a driver bundle and waits for its {@code DriverEntry} (at most the watchdog,
     * and a little).
     *
     * @throws HostException ({@link HostException.Kind#USAGE}) when the jar is missing, corrupt, no
     *         driver bundle, already installed, or does not resolve; nothing stays installed then
     */
    public DriverLoad load(Path jar) throws HostException {
        return loader.load(jar);
    }

    /** {@link #load(Path)} for a jar already inspected ({@code ringzero run} checks every jar first). */
    public DriverLoad load(DriverJar jar) throws HostException {
        return loader.load(jar);
    }

    @Override
    public DriverOutcome loadJar(Path jar) throws HostException {
        return loader.load(jar).outcome();
    }

    /**
     * Uninstalls a bundle {@link #load} installed: its bundle stops, so its driver's {@code DriverUnload}
     * runs if the driver is loaded.
     *
     * @return what the unload found, one line each (empty when the driver was not loaded)
     */
    public List<String> unload(DriverLoad load) throws HostException {
        return loader.unload(load);
    }

    /**
     * Unloads a driver by name, through its bundle: a bundle {@link #load} installed is uninstalled, one
     * FileInstall (or anyone else) installed is stopped. Its {@code DriverUnload} runs.
     *
     * @return what the unload found; empty when no driver bundle of that name is tracked
     */
    @Override
    public List<String> unloadDriver(String name) {
        return loader.unloadDriver(name);
    }

    @Override
    public List<Path> driverFolders() {
        return List.of(settings.driversDir(), settings.home().resolve("samples"));
    }

    /** How long the start took, phase by phase. */
    public StartupTimes startupTimes() {
        return times;
    }

    public HostSettings settings() {
        return settings;
    }

    @Override
    public IoManager ioManager() {
        return io;
    }

    @Override
    public Executive executive() {
        return services.executive();
    }

    /** Issue 21: the lookaside implementations, built-in and deployed in {@code allocators/}, as kd:allocators shows them. */
    @Override
    public AllocatorCatalog allocators() {
        return allocatorBundles.catalog();
    }

    public Framework framework() {
        return framework;
    }

    /** Whether a bug check stopped the host ({@link HostSettings#haltOnBugCheck}). */
    public boolean halted() {
        return bugChecks.halted();
    }

    /** Blocks until the framework has stopped (the shell's {@code stop 0}, a halt, {@link #close}). */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
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
        FrameworkSetup.abandon(framework, dbgPrintLog, storage);
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
}
