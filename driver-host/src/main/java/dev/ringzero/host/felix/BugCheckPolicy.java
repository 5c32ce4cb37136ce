package dev.ringzero.host.felix;

import dev.ringzero.api.Owner;
import dev.ringzero.host.core.BugCheckPhase;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.host.reports.CrashReports;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * What the host does with a bug check: writes its crash report (indexed in {@link CrashReports}), tells the
 * listener, and then either halts the host ({@link HostSettings#haltOnBugCheck}: the framework stops) or, for a
 * fault on one of a driver's own threads, unloads that driver while the others go on. Called on whatever thread
 * the bug check was caught on (the I/O manager's, a driver's); everything that waits goes to the janitor thread.
 */
final class BugCheckPolicy {

    private final HostSettings settings;
    private final Framework framework;
    private final IoManager io;
    private final DriverLoader loader;
    private final DriverExtender extender;
    private final CrashReports crashReports;
    private final HostListener listener;
    private final ExecutorService janitor;
    private final AtomicBoolean halted = new AtomicBoolean();

    BugCheckPolicy(HostSettings settings, Framework framework, IoManager io, DriverLoader loader, DriverExtender extender,
                   CrashReports crashReports, HostListener listener, ExecutorService janitor) {
        this.settings = settings;
        this.framework = framework;
        this.io = io;
        this.loader = loader;
        this.extender = extender;
        this.crashReports = crashReports;
        this.listener = listener;
        this.janitor = janitor;
    }

    /** Whether a bug check stopped the host. */
    boolean halted() {
        return halted.get();
    }

    void onBugCheck(BugCheckReport report) {
        Path file = crashReports.write(report, io.executive());
        listener.bugCheck(report, file);
        // a fault on one of a driver's system threads: unload that driver (its memory is reclaimed, or it is
        // quarantined if its threads do not end); the other drivers go on
        String name = report.owner().name();
        if (!settings.haltOnBugCheck() && onDriversOwnThread(report.where())) {
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
     * Whether the fault happened on a thread of the driver's own while it was loaded (a system thread, a thread it
     * started, a refused exit or lifecycle call there): then the driver is unloaded. In {@code DriverEntry},
     * {@code DriverUnload} or the teardown the I/O manager has already dealt with it; a scan fault leaves it loaded.
     */
    private static boolean onDriversOwnThread(BugCheckPhase phase) {
        return switch (phase) {
            case BugCheckPhase.SystemThread t -> true;
            case BugCheckPhase.Refused r -> true;
            case BugCheckPhase.DriverEntry e -> false;
            case BugCheckPhase.DriverUnload u -> false;
            case BugCheckPhase.Teardown t -> false;
            case BugCheckPhase.LookasideScan l -> false;
        };
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
                loader.awaitLoaded(t);
            } catch (ExecutionException | TimeoutException e) {
                // no outcome to wait for: the state below decides
            }
        }
        if (io.driver(name).filter(d -> d.owner().equals(owner) && d.state() == DriverState.LOADED).isPresent()) {
            List<String> notes = loader.unloadDriver(name);
            if (!notes.isEmpty()) {
                listener.driverUnloaded(null, name, notes);
            }
        }
    }
}
