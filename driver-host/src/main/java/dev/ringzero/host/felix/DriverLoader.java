package dev.ringzero.host.felix;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.Interrupts;
import dev.ringzero.host.launch.HostException;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.host.manifest.DriverJar;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The jar loader: installs a driver jar as a bundle and starts it, so that the {@link DriverExtender} loads its
 * driver, and waits for the outcome; uninstalls (or stops) a driver's bundle and waits for its unload. Callable
 * from any host thread (the CLI's, the kd shell's, the bug-check janitor's), never from the extender's own I/O
 * manager thread, which these waits wait for. An interrupt never cuts a wait short (a driver may interrupt any
 * thread): {@link Interrupts#deferred} keeps it for the caller.
 */
final class DriverLoader {

    private final Framework framework;
    private final HostSettings settings;
    private final DriverExtender extender;
    private final HostLog hostLog;
    /** The bundles {@link #load} installed, by bundle id: these are uninstalled at their unload, the others stopped. */
    private final Map<Long, DriverExtender.Tracked> requested = new ConcurrentHashMap<>();

    DriverLoader(Framework framework, HostSettings settings, DriverExtender extender, HostLog hostLog) {
        this.framework = framework;
        this.settings = settings;
        this.extender = extender;
        this.hostLog = hostLog;
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
    DriverOutcome awaitLoaded(DriverExtender.Tracked t) throws ExecutionException, TimeoutException {
        return Uninterruptibles.getUninterruptibly(t.loaded, settings.watchdog().toMillis() + 30_000, TimeUnit.MILLISECONDS);
    }

    /** Waits for a tracked driver's unload: its {@code DriverUnload} and teardown, each bounded by the watchdog. */
    private List<String> awaitUnloaded(DriverExtender.Tracked t) throws ExecutionException, TimeoutException {
        return Uninterruptibles.getUninterruptibly(t.unloaded, settings.watchdog().multipliedBy(2).toMillis() + 30_000,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Installs and starts a driver bundle and waits for its {@code DriverEntry} (at most the watchdog,
     * and a little).
     *
     * @throws HostException ({@link HostException.Kind#USAGE}) when the jar is missing, corrupt, no
     *         driver bundle, already installed, or does not resolve; nothing stays installed then
     */
    public DriverLoad load(Path jar) throws HostException {
        return logged(() -> install(DriverJar.inspect(jar)));
    }

    /** {@link #load(Path)} for a jar already inspected: its manifest is not read again. */
    DriverLoad load(DriverJar jar) throws HostException {
        return logged(() -> install(jar));
    }

    /** Runs a load with interrupts deferred; a USAGE failure goes to the host log too (the caller prints it). */
    private DriverLoad logged(Interrupts.Work<DriverLoad, HostException> load) throws HostException {
        try {
            return Interrupts.deferred(load);
        } catch (HostException e) {
            if (e.kind() == HostException.Kind.USAGE) {
                hostLog.line(e.getMessage());
            }
            throw e;
        }
    }

    private DriverLoad install(DriverJar driverJar) throws HostException {
        Path jar = driverJar.path();
        // the extender's check: a driver wires to the driver contract and the JDK only (DriverWiring holds it later)
        java.util.Optional<String> refused = driverJar.manifest().refusal();
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
        CompletableFuture<DriverExtender.Tracked> seen = extender.expect(bundle, driverJar.manifest());
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
}
