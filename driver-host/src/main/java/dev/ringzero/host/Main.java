package dev.ringzero.host;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.ringzero.api.NtStatus;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.host.felix.DriverLoad;
import dev.ringzero.host.manifest.DriverJar;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostException;
import dev.ringzero.host.felix.HostListener;
import dev.ringzero.host.felix.HostLog;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Bundle;
import dev.ringzero.host.reports.RunReport;

/**
 * The {@code ringzero} command: {@code ringzero run [JAR ...]} loads driver bundles, prints their
 * {@code DbgPrint} output as it comes and the host's report, unloads them and exits;
 * {@code ringzero} runs the host with the Gogo shell and hot deploy from {@code drivers/}.
 *
 * <p>Errors are one line on standard error, never a stack trace; the exit codes are in
 * {@link CommandLine#USAGE}. {@code -Dringzero.timings=true} prints where the host's start went.
 */
public final class Main {

    static final int OK = 0;
    static final int HOST_FAULT = 1;
    static final int USAGE = 2;
    static final int STOPPED = 3;

    /** The sample driver {@code ringzero run} loads when given no jar. */
    static final String SAMPLE = "samples/lookaside-list-driver.jar";

    private final PrintStream out;
    private final PrintStream err;
    private final Path home;

    Main(PrintStream out, PrintStream err, Path home) {
        this.out = out;
        this.err = err;
        this.home = home;
    }

    public static void main(String[] args) {
        int code = new Main(System.out, System.err, home()).execute(args);
        System.out.flush();
        System.exit(code);
    }

    int execute(String... args) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(Arrays.asList(args), HostSettings.DEFAULT_WATCHDOG);
        } catch (UsageException e) {
            err.println("ringzero: " + e.getMessage());
            return USAGE;
        }
        try {
            return switch (cl.command()) {
                case HELP -> {
                    out.print(CommandLine.USAGE.formatted(HostSettings.DEFAULT_WATCHDOG.toSeconds()));
                    yield OK;
                }
                case RUN -> {
                    try (RunRecording recording = RunRecording.start(cl.jfr(), HostSettings.forHome(home).etcDir(), err)) {
                        yield run(cl);
                    }
                }
                case POOLMON -> PoolMonClient.watch(writableFolders(HostSettings.forHome(home), System.getenv()).dataDir(),
                        cl.poolmonPid(), System.in, out, err);
                case HOST -> host(cl);
            };
        } catch (HostException e) {
            err.println("ringzero: " + e.getMessage());
            return e.kind() == HostException.Kind.USAGE ? USAGE : HOST_FAULT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ringzero: interrupted");
            return HOST_FAULT;
        }
    }

    // ------------------------------------------------------------------------------------------ run

    /** Collects what the host reports during a run. */
    private static final class RunListener implements HostListener {
        final List<RunReport.Stop> stops = new CopyOnWriteArrayList<>();
        final List<String> faults = new CopyOnWriteArrayList<>();

        @Override
        public void bugCheck(BugCheckReport report, Path crashReport) {
            stops.add(new RunReport.Stop(report, crashReport));
        }

        @Override
        public void hostFault(String message, Throwable cause) {
            faults.add(message);
        }
    }

    private int run(CommandLine cl) throws HostException {
        List<Path> jars = cl.jars().isEmpty() ? List.of(home.resolve(SAMPLE)) : cl.jars();
        HostSettings base = writableFolders(HostSettings.forHome(home), System.getenv());
        // every jar checked before the framework starts and any DriverEntry runs: one line for each bad one
        RunJars checked = RunJars.check(jars);
        if (!checked.ok()) {
            checked.problems().forEach(p -> err.println("ringzero: " + p));
            HostLog.append(base.logDir(), checked.problems());
            return USAGE;
        }
        RunListener listener = new RunListener();
        HostSettings settings = base
                .withMode(HostSettings.Mode.RUN)
                .withWatchdog(cl.watchdog())
                .withHaltOnBugCheck(cl.haltOnBugCheck())
                .withConsole((driver, line) -> {
                    out.println(line);
                    out.flush();
                });
        FelixHost host = FelixHost.start(settings, listener);
        verifier(host, cl);
        Thread hook = closeOnExit(host);
        try {
            timings(host);
            List<DriverLoad> loads = new ArrayList<>();
            int refused = 0;
            for (DriverJar jar : checked.jars()) {   // as checked: no manifest is read twice
                if (host.halted()) {
                    break;
                }
                try {
                    loads.add(host.load(jar));
                } catch (HostException e) {
                    if (e.kind() != HostException.Kind.USAGE) {
                        throw e;
                    }
                    // a jar the framework refuses (its imports do not resolve): one line, and the next jar loads
                    err.println("ringzero: " + e.getMessage());
                    err.flush();
                    refused++;
                }
            }
            List<RunReport.Entry> entries = new ArrayList<>(Collections.nCopies(loads.size(), null));
            for (int i = loads.size() - 1; i >= 0; i--) {
                entries.set(i, unload(host, loads.get(i)));
            }
            if (loads.isEmpty() && refused > 0) {
                return USAGE;   // nothing ran: the one-line errors are all there is to say
            }
            awaitForgottenLists(host, listener);
            out.print(RunReport.render(entries, poolUsage(host, listener), host.ioManager()::reclaimedBlocks, listener.stops,
                    listener.faults));
            if (host.halted()) {
                out.println();
                out.println("The host halted at the first bug check (--halt-on-bugcheck); "
                        + (jars.size() - loads.size() - refused) + " of " + jars.size() + " driver(s) not loaded");
            }
            out.flush();
            boolean quarantined = loads.stream().anyMatch(l -> l.outcome().state() == DriverState.QUARANTINED);
            if (!listener.stops.isEmpty() || quarantined || host.halted()) {
                return STOPPED;   // a bug check outranks a jar that could not be loaded
            }
            if (refused > 0 || loads.stream().anyMatch(l -> notCreated(l.outcome()))) {
                return USAGE;
            }
            return listener.faults.isEmpty() ? OK : HOST_FAULT;
        } finally {
            host.close();
            removeHook(hook);
        }
    }

    /**
     * Whether the I/O manager refused the jar's driver before its {@code DriverEntry} could run: the entry
     * class is missing, is no {@code Driver}, or its constructor failed ({@code STATUS_DRIVER_ENTRYPOINT_NOT_FOUND}),
     * the service name is ill-formed, or a driver of that name is loaded. The jar is what is wrong: exit code 2.
     */
    static boolean notCreated(DriverOutcome o) {
        return o.state() == DriverState.UNLOADED && o.bugCheck() == null && NOT_CREATED.contains(o.status());
    }

    private static final Set<NtStatus> NOT_CREATED = Set.of(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
            NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY, NtStatus.STATUS_IMAGE_ALREADY_LOADED);

    /**
     * Lists that unloaded drivers left registered (the tutorial's forgotten {@code ExDelete...}) are
     * found by the balance-set manager's next scan of their kind, within one round of three 1-second
     * ticks, as in NT. The run waits for that round (at most {@link #TUNER_ROUND}) so its report shows
     * the {@code 0xCE} a real machine would have shown, instead of exiting just before it. A scan drops
     * the list from the registry first and reports its bug check afterwards (outside the registry's lock,
     * with the crash report to write), so the wait is for both: no list left, and one more stop per list
     * that was there.
     */
    private static void awaitForgottenLists(FelixHost host, RunListener listener) {
        if (host.halted()) {
            return;
        }
        var registry = host.ioManager().executive().lookasideRegistry();
        long deadline = System.nanoTime() + TUNER_ROUND.toNanos();
        try {
            int forgotten = registry.lists().size();
            int stopsBefore = listener.stops.size();
            while ((!registry.lists().isEmpty() || listener.stops.size() - stopsBefore < forgotten)
                    && System.nanoTime() < deadline && !host.halted()) {
                // not cut short by an interrupt: a driver may have interrupted this thread
                Uninterruptibles.sleepUninterruptibly(Duration.ofMillis(50));
            }
        } catch (RuntimeException registryGone) {
            // the framework stopped under us (a halt): nothing left to wait for
        }
    }

    /** One round of the balance-set manager (3 ticks of 1 s) plus a margin for the scan itself. */
    private static final java.time.Duration TUNER_ROUND = java.time.Duration.ofMillis(3_500);

    /** The pool's per-tag accounting, or none if the pool is gone (a halt stopped the framework). */
    private static List<PoolTagUsage> poolUsage(FelixHost host, RunListener listener) {
        try {
            return host.executive().pool().usage();
        } catch (RuntimeException poolGone) {
            listener.faults.add("pool activity unavailable: " + poolGone);
            return List.of();
        }
    }

    /** Unloads one driver of the run and says how it went, for the report. */
    private static RunReport.Entry unload(FelixHost host, DriverLoad load) throws HostException {
        DriverOutcome o = load.outcome();
        IoManager io = host.ioManager();
        boolean loaded = o.state() == DriverState.LOADED && io.driver(o.name()).isPresent();
        boolean hasUnload = loaded && io.driver(o.name()).get().hasUnloadRoutine();
        List<String> notes = new ArrayList<>(host.unload(load));
        if (loaded && notes.isEmpty()) {
            notes.add(o.name() + ": " + (hasUnload ? "DriverUnload returned; " : "") + "driver unloaded");
        }
        return new RunReport.Entry(o, notes);
    }

    // ----------------------------------------------------------------------------------------- host

    /** Tells the console what happens in the long-running host. */
    private final class ConsoleListener implements HostListener {
        /** A bug check is shown when it happens; the load or unload it ended does not show it again. */
        private final ShownBugChecks shown = new ShownBugChecks();

        @Override
        public boolean echoesOutcomes() {
            return true;
        }

        @Override
        public void driverLoaded(Bundle bundle, DriverOutcome outcome) {
            String message = shown.withoutShown(outcome.name(), outcome.message());
            if (message != null) {
                out.println(message);
            }
            outcome.lookasideDumps().forEach(d -> out.print(d.endsWith("\n") ? d : d + System.lineSeparator()));
            out.flush();
        }

        @Override
        public void driverUnloaded(Bundle bundle, String driver, List<String> notes) {
            List<String> rest = shown.withoutShown(driver, notes);
            out.println(rest.isEmpty() ? driver + ": driver unloaded" : String.join(System.lineSeparator(), rest));
            out.flush();
        }

        @Override
        public void bugCheck(BugCheckReport report, Path crashReport) {
            out.println(shown.show(report) + (crashReport == null ? "" : " (crash report: " + crashReport + ")"));
            out.flush();
        }

        @Override
        public void hostFault(String message, Throwable cause) {
            err.println("ringzero: " + message);
        }

        @Override
        public void driversFolder(String line) {
            out.println(line);
            out.flush();
        }
    }

    private int host(CommandLine cl) throws HostException, InterruptedException {
        boolean terminal = System.console() != null && System.console().isTerminal();
        boolean interactive = terminal && !cl.noInteractive();
        HostSettings settings = writableFolders(HostSettings.forHome(home), System.getenv())
                .withMode(HostSettings.Mode.HOST)
                .withInteractive(interactive)
                .withWatchdog(cl.watchdog())
                .withHaltOnBugCheck(cl.haltOnBugCheck())
                .withConsole((driver, line) -> {
                    out.println(line);
                    out.flush();
                });
        FelixHost host = FelixHost.start(settings, new ConsoleListener());
        verifier(host, cl);
        Thread hook = closeOnExit(host);
        try {
            timings(host);
            out.println("Ringzero host started; driver bundles dropped into " + settings.driversDir() + " are loaded"
                    + (interactive ? "; 'kd:commands' lists the kernel debugger commands (lm, pool, poolfind, dt, dd, list, analyze, drvobj, lookaside,"
                    + " poolused, ...; help kd:NAME for one), 'stop 0' or Ctrl-D stops the host"
                                   : "; no shell (--nointeractive): stop the host with Ctrl-C or SIGTERM"));
            out.flush();
            host.awaitStop();
            return host.halted() ? STOPPED : OK;
        } finally {
            host.close();
            removeHook(hook);
        }
    }

    // --------------------------------------------------------------------------------------- common

    /**
     * {@code --verifier}, {@code --verify NAME}, {@code --special-pool NAME}, {@code --special-pool-tag TAG}:
     * before any driver loads.
     */
    private static void verifier(FelixHost host, CommandLine cl) {
        if (cl.verifyAll()) {
            host.setVerifierByDefault(true);
        }
        cl.verify().forEach(name -> host.ioManager().setVerified(name, true));
        cl.specialPool().forEach(name -> host.ioManager().setSpecialPool(name, true));
        cl.specialPoolTags().forEach(tag -> host.executive().pool().setSpecialPoolTag(tag, true));
    }

    private void timings(FelixHost host) {
        if (Boolean.getBoolean("ringzero.timings")) {
            err.println("ringzero: " + host.startupTimes());
        }
    }

    /** Ctrl-C or SIGTERM: unload the drivers and stop the framework before the JVM goes. */
    private static Thread closeOnExit(FelixHost host) {
        Thread hook = Thread.ofPlatform().name("Ringzero shutdown").unstarted(host::close);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is already shutting down: the hook runs
        }
    }

    /** The environment variable naming the folder for the framework's storage, instead of {@code data/}. */
    static final String DATA_ENV = "RINGZERO_DATA";
    /** The environment variable naming the folder for {@code dbgprint.log} and crash reports, instead of {@code log/}. */
    static final String LOG_ENV = "RINGZERO_LOG";

    /**
     * {@code data/} and {@code log/} are the only folders the host writes to; {@value #DATA_ENV} and
     * {@value #LOG_ENV} move them out of the distribution, so that it can be installed read-only.
     * A relative path is taken from the current directory.
     */
    static HostSettings writableFolders(HostSettings settings, Map<String, String> env) {
        HostSettings s = settings;
        String data = env.get(DATA_ENV);
        if (data != null && !data.isBlank()) {
            s = s.withDataDir(Path.of(data).toAbsolutePath().normalize());
        }
        String log = env.get(LOG_ENV);
        if (log != null && !log.isBlank()) {
            s = s.withLogDir(Path.of(log).toAbsolutePath().normalize());
        }
        return s;
    }

    /** {@code -Dringzero.home}, else the folder above the one holding this jar ({@code lib/}). */
    static Path home() {
        String property = System.getProperty("ringzero.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        try {
            CodeSource source = Main.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path jar = Path.of(source.getLocation().toURI());
                Path lib = jar.getParent();
                if (Files.isRegularFile(jar) && lib != null && lib.getParent() != null) {
                    return lib.getParent();
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }
}
