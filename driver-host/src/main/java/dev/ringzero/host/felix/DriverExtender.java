package dev.ringzero.host.felix;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.ringzero.api.Driver;
import dev.ringzero.api.NtStatus;
import dev.ringzero.host.core.DriverImage;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.HostThreads;
import dev.ringzero.host.core.IoManager;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/**
 * The driver extender: a {@link BundleTracker} over ACTIVE bundles, as Felix SCR tracks component
 * bundles. A bundle whose manifest names a driver ({@link DriverJar#DRIVER_HEADER}) is loaded through the
 * {@link IoManager} when it starts, and unloaded ({@code DriverUnload}) when it stops.
 *
 * <h2>Threads</h2>
 * Every load and unload runs on one thread, the host's <em>I/O manager thread</em> — NT likewise
 * marshals driver loads to a work item in the System process — so they never overlap and a driver's
 * unload always follows its load. A bundle start only queues the load: the thread that started the
 * bundle (FileInstall's, the shell's) is not held while {@code DriverEntry} runs. A bundle stop waits
 * for its unload, bounded, because the driver's classes must still be there when {@code DriverUnload}
 * runs. Nothing here ever stops a bundle: stopping a bundle from a tracker callback, or from the thread
 * that waits for {@code DriverEntry}, deadlocks.
 *
 * <h2>A driver that does not load</h2>
 * When {@code DriverEntry} fails, faults or hangs, the I/O manager has already unloaded (or quarantined)
 * the driver; its bundle stays ACTIVE, so updating or restarting the bundle runs {@code DriverEntry}
 * again — the hot-deploy loop FileInstall gives.
 */
final class DriverExtender implements BundleTrackerCustomizer<DriverExtender.Tracked> {

    /** One driver bundle the extender has seen start. */
    static final class Tracked {
        final Bundle bundle;
        final String entryClass;
        final String driverName;
        final CompletableFuture<DriverOutcome> loaded = new CompletableFuture<>();
        final CompletableFuture<List<String>> unloaded = new CompletableFuture<>();

        Tracked(Bundle bundle, String entryClass, String driverName) {
            this.bundle = bundle;
            this.entryClass = entryClass;
            this.driverName = driverName;
        }

        /** The load's outcome, or {@code null} while {@code DriverEntry} has not come back. */
        DriverOutcome outcome() {
            return loaded.getNow(null);
        }
    }

    private final IoManager io;
    private final HostListener listener;
    private final Duration unloadBound;
    private final ExecutorService ioThread;
    private final BundleTracker<Tracked> tracker;
    /** Futures handed out by {@link #expect} before the bundle starts, by bundle id. */
    private final Map<Long, CompletableFuture<Tracked>> expected = new ConcurrentHashMap<>();

    DriverExtender(BundleContext systemContext, IoManager io, HostListener listener, Duration watchdog) {
        this.io = io;
        this.listener = listener;
        // DriverUnload, then the teardown's join of the driver's threads: a watchdog each, and some slack
        this.unloadBound = watchdog.multipliedBy(2).plusSeconds(10);
        this.ioThread = Executors.newSingleThreadExecutor(
                HostThreads.factory("Ringzero I/O manager"));
        this.tracker = new BundleTracker<>(systemContext, Bundle.ACTIVE, this);
    }

    void open() {
        tracker.open();
    }

    /**
     * Returns a future that completes with the tracked driver once {@code bundle} (installed, not yet
     * started) becomes ACTIVE and is seen as a driver bundle — or exceptionally if it is no driver.
     */
    CompletableFuture<Tracked> expect(Bundle bundle) {
        return expected.computeIfAbsent(bundle.getBundleId(), id -> new CompletableFuture<>());
    }

    /** Forgets an {@link #expect} whose bundle never started. */
    void forget(Bundle bundle) {
        CompletableFuture<Tracked> f = expected.remove(bundle.getBundleId());
        if (f != null) {
            f.cancel(false);
        }
    }

    /** The tracked bundle (the oldest, if several) whose driver has this name. */
    Optional<Tracked> tracked(String driverName) {
        return tracked().stream().filter(t -> t.driverName.equals(driverName)).findFirst();
    }

    /** The driver bundles tracked now. */
    List<Tracked> tracked() {
        Map<Bundle, Tracked> map = tracker.getTracked();
        List<Tracked> list = new ArrayList<>(map.values());
        list.sort((a, b) -> Long.compare(a.bundle.getBundleId(), b.bundle.getBundleId()));
        return list;
    }

    @Override
    public Tracked addingBundle(Bundle bundle, BundleEvent event) {
        Dictionary<String, String> headers = bundle.getHeaders("");
        String entry = headers.get(DriverJar.DRIVER_HEADER);
        CompletableFuture<Tracked> waiting = expected.remove(bundle.getBundleId());
        if (entry == null || entry.isBlank()) {
            if (waiting != null) {
                waiting.completeExceptionally(new IllegalStateException(
                        "bundle " + bundle.getSymbolicName() + " has no " + DriverJar.DRIVER_HEADER + " header"));
            }
            return null;
        }
        entry = entry.strip();
        Tracked t = new Tracked(bundle, entry, DriverJar.driverName(headers.get(DriverJar.DRIVER_NAME_HEADER), entry));
        // the extender's check, for drivers that started without FelixHost.load (hot deploy): one that wires beyond
        // the driver contract (a DynamicImport-Package resolves nothing at start) never gets its DriverEntry run
        java.util.Optional<String> refused = DriverContract.refusal(headers);
        if (refused.isPresent()) {
            ioThread.execute(() -> refuse(t, refused.get()));
        } else {
            ioThread.execute(() -> load(t));
        }
        if (waiting != null) {
            waiting.complete(t);
        }
        return t;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Tracked t) {
        // still ACTIVE: nothing to do
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Tracked t) {
        Future<List<String>> unload;
        try {
            unload = ioThread.submit(() -> unload(t));
        } catch (RejectedExecutionException closed) {
            t.unloaded.complete(List.of());
            return;
        }
        try {
            Uninterruptibles.getUninterruptibly(unload, unloadBound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            listener.hostFault("the unload of " + t.driverName + " (bundle " + bundle.getSymbolicName()
                    + ") did not finish within " + unloadBound.toSeconds() + " s; its bundle stops anyway", null);
        } catch (ExecutionException e) {
            listener.hostFault("the unload of " + t.driverName + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** On the I/O manager thread: build the image from the bundle and run {@code DriverEntry}. */
    private void load(Tracked t) {
        DriverOutcome outcome;
        try {
            DriverImage image = new DriverImage(t.driverName, () -> instantiate(t), t.bundle.getLocation());
            outcome = io.load(image);
        } catch (IllegalArgumentException badName) {
            NtStatus s = NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY;
            outcome = new DriverOutcome(t.driverName, DriverState.UNLOADED, s, null,
                    t.driverName + ": " + badName.getMessage() + " (" + s + "); driver not loaded", List.of());
        } catch (RuntimeException | Error hostFault) {
            listener.hostFault("loading " + t.driverName + " failed in the host: " + hostFault, hostFault);
            outcome = new DriverOutcome(t.driverName, DriverState.UNLOADED, NtStatus.STATUS_DRIVER_UNABLE_TO_LOAD, null,
                    t.driverName + ": the host failed to load it (" + hostFault + ")", List.of());
        }
        listener.driverLoaded(t.bundle, outcome);   // told before the waiting caller wakes
        t.loaded.complete(outcome);
    }

    /** On the I/O manager thread, in a load's place: the driver is not loaded, and the one line says why. */
    private void refuse(Tracked t, String why) {
        NtStatus s = NtStatus.STATUS_DRIVER_UNABLE_TO_LOAD;
        DriverOutcome outcome = new DriverOutcome(t.driverName, DriverState.UNLOADED, s, null,
                t.driverName + ": " + why + " (" + s + "); driver not loaded", List.of());
        listener.driverLoaded(t.bundle, outcome);
        t.loaded.complete(outcome);
    }

    /** On the I/O manager thread: {@code DriverUnload}, if this bundle's driver is loaded. */
    private List<String> unload(Tracked t) {
        if (t.unloaded.isDone()) {
            return t.unloaded.getNow(List.of());   // unloadAll got here first
        }
        DriverOutcome o = t.outcome();
        List<String> notes = List.of();
        if (o != null && o.state() != DriverState.UNLOADED && io.driver(t.driverName).isPresent()) {
            notes = io.forceUnload(t.driverName);
            listener.driverUnloaded(t.bundle, t.driverName, notes);
        }
        t.unloaded.complete(notes);
        return notes;
    }

    /** Loads the entry class from the bundle and makes the driver; a failure here is the driver's load failing. */
    private static Driver instantiate(Tracked t) {
        Class<?> type;
        try {
            type = t.bundle.loadClass(t.entryClass);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("entry class " + t.entryClass + " not found in bundle "
                    + t.bundle.getSymbolicName(), e);
        }
        if (!Driver.class.isAssignableFrom(type)) {
            throw new IllegalStateException("entry class " + t.entryClass + " does not implement "
                    + Driver.class.getName() + " (as the host sees it: does the bundle import dev.ringzero.api?)");
        }
        try {
            return (Driver) type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the constructor of " + t.entryClass + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + t.entryClass
                    + ": it needs a public no-argument constructor (" + e + ")", e);
        }
    }

    /**
     * Unloads every loaded driver, newest bundle first, and waits for it — the host is stopping. The
     * tracker stays open so that the bundles' own stops find nothing left to unload.
     */
    void unloadAll() {
        List<Tracked> all = tracked();
        Collections.reverse(all);
        for (Tracked t : all) {
            try {
                Uninterruptibles.getUninterruptibly(ioThread.submit(() -> unload(t)), unloadBound.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                listener.hostFault("the unload of " + t.driverName + " did not finish: " + e, e);
            } catch (RejectedExecutionException closed) {
                return;
            }
        }
    }

    void close() {
        try {
            tracker.close();
        } finally {
            ioThread.shutdown();
        }
    }
}
