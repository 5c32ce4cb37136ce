package dev.ringzero.host.felix;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.ringzero.api.Driver;
import dev.ringzero.api.NtStatus;
import dev.ringzero.host.core.DriverImage;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.HostThreads;
import dev.ringzero.host.core.IoManager;
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
import dev.ringzero.host.core.DriverCode;
import dev.ringzero.host.manifest.DriverManifest;

/**
 * The driver extender: a {@link BundleTracker} over ACTIVE bundles, as Felix SCR tracks component
 * bundles. A bundle whose manifest names a driver ({@link dev.ringzero.api.RingzeroDriver#HEADER}) is loaded through the
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
    static final class Tracked implements DriverCode {
        final Bundle bundle;
        final DriverManifest manifest;
        final String driverName;
        final CompletableFuture<DriverOutcome> loaded = new CompletableFuture<>();
        final CompletableFuture<List<String>> unloaded = new CompletableFuture<>();

        Tracked(Bundle bundle, DriverManifest manifest) {
            this.bundle = bundle;
            this.manifest = manifest;
            this.driverName = manifest.driverName();
        }

        /** The driver's code is the bundle's: the core loads the entry class through it. */
        @Override
        public Class<?> loadClass(String className) throws ClassNotFoundException {
            return bundle.loadClass(className);
        }

        @Override
        public String holder() {
            return "bundle " + bundle.getSymbolicName();
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
    /** Futures handed out by {@link #expect} before the bundle starts, with the manifest read then, by bundle id. */
    private final Map<Long, Expected> expected = new ConcurrentHashMap<>();

    /** A bundle {@link #expect}ed: its jar's manifest as the loader read it, and who waits for it. */
    private record Expected(DriverManifest manifest, CompletableFuture<Tracked> seen) {
    }

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
    CompletableFuture<Tracked> expect(Bundle bundle, DriverManifest manifest) {
        return expected.computeIfAbsent(bundle.getBundleId(), id -> new Expected(manifest, new CompletableFuture<>())).seen();
    }

    /** Forgets an {@link #expect} whose bundle never started. */
    void forget(Bundle bundle) {
        Expected e = expected.remove(bundle.getBundleId());
        if (e != null) {
            e.seen().cancel(false);
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
        Expected waiting = expected.remove(bundle.getBundleId());
        // a jar the loader installed was read already; a hot-deployed bundle's headers are read here, once
        Optional<DriverManifest> manifest;
        if (waiting != null) {
            manifest = Optional.of(waiting.manifest());
        } else {
            Dictionary<String, String> headers = bundle.getHeaders("");
            manifest = DriverManifest.read(headers::get);
        }
        if (manifest.isEmpty()) {
            return null;
        }
        Tracked t = new Tracked(bundle, manifest.get());
        // the extender's check, for drivers that started without FelixHost.load (hot deploy): one that wires beyond
        // the driver contract (a DynamicImport-Package resolves nothing at start) never gets its DriverEntry run
        Optional<String> refused = t.manifest.refusal();
        if (refused.isPresent()) {
            ioThread.execute(() -> refuse(t, refused.get()));
        } else {
            ioThread.execute(() -> load(t));
        }
        if (waiting != null) {
            waiting.seen().complete(t);
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
            DriverImage image = new DriverImage(t.driverName, t.manifest.entryClass(), t, t.bundle.getLocation());
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
            notes = io.forceUnload(t.driverName).lines();
            listener.driverUnloaded(t.bundle, t.driverName, notes);
        }
        t.unloaded.complete(notes);
        return notes;
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
