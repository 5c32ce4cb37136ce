package dev.ringzero.host.core;

import static dev.ringzero.api.NtStatus.NT_SUCCESS;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.DebugLineBuffer;
import dev.ringzero.api.Driver;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import dev.ringzero.api.SystemThread;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Loads and unloads drivers the way NT's I/O manager does ({@code IopLoadDriver},
 * {@code IopUnloadDriver}), on top of the executive's services.
 *
 * <h2>Load</h2>
 * A name already loaded answers {@code STATUS_IMAGE_ALREADY_LOADED}. Otherwise the driver gets a new
 * {@link Owner}, an image section for its globals (non-paged, zero-filled), a {@code DRIVER_OBJECT}
 * ({@code \Driver\<Name>}, registry path {@code \Registry\Machine\System\CurrentControlSet\Services\<Name>}),
 * and its {@code DriverEntry} runs on a fresh system worker thread at PASSIVE_LEVEL with its
 * {@code DbgPrint} output bound to it. The caller waits at most the watchdog's time:
 * <ul>
 *   <li>success: loaded;</li>
 *   <li>failure status: unloaded without calling {@code DriverUnload} (NT does not call it), reported
 *       as {@code <Name>: DriverEntry returned <STATUS> (<hex>); driver unloaded};</li>
 *   <li>an exception: mapped to its bug check ({@link BugCheck#fromDriverFault}), reported, unloaded;</li>
 *   <li>no return in time: reported and quarantined — a Java thread cannot be killed, so the driver's
 *       memory is left alone and its name stays taken.</li>
 * </ul>
 *
 * <h2>Unload</h2>
 * {@link #unload} refuses what NT refuses: a driver without {@code DriverUnload} answers
 * {@code STATUS_INVALID_DEVICE_REQUEST} and stays loaded. An unload (or a failed load) then runs the
 * verifier's checks: under the verifier, leaked pool is {@code 0xC4/0x62} and undeleted lookaside lists
 * are {@code 0xC7}; without it, leaks are reported and reclaimed and an undeleted list stays registered
 * until the tuner's next scan finds its header gone ({@code 0xCE}), as in NT.
 *
 * <p>Bug checks never escape: each becomes a {@link BugCheckReport} handed to the listeners.
 */
public final class IoManager implements AutoCloseable {

    /** The image section's pool tag ({@code MmLd}, the loader's tag). */
    static final int IMAGE_TAG = PoolTag.fromDisplay("MmLd");
    /** 0xC7 Parameter1 we use for "a lookaside list was not deleted" (NT documents no code for it). */
    static final int UNDELETED_LOOKASIDE = 0x4C;
    /** How long a driver's thread found at its unload may take to end by itself before it counts as left running. */
    static final Duration ENDING_THREAD_GRACE = Duration.ofMillis(200);

    private final Executive executive;
    private final DbgPrintSink dbgPrint;
    private final Duration watchdog;
    private final AtomicLong instances = new AtomicLong();
    private final Map<String, LoadedDriver> drivers = new ConcurrentHashMap<>();
    private final Set<String> verifiedNames = ConcurrentHashMap.newKeySet();
    private final Set<String> specialPoolNames = ConcurrentHashMap.newKeySet();
    private final List<BugCheckReport> bugChecks = new CopyOnWriteArrayList<>();
    private final List<Consumer<BugCheckReport>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<UnloadReport>> unloadListeners = new CopyOnWriteArrayList<>();
    /**
     * Each driver's code loader (its entry class's), kept after the unload for as long as the loader lives:
     * a thread the driver left running still runs its code ({@link ExitGuard}). Weak keys: an unloaded
     * bundle's loader goes when nothing runs its code any more.
     */
    private final Map<ClassLoader, Owner> codeLoaders = Collections.synchronizedMap(new WeakHashMap<>());
    /** The worker a quarantined driver's hung {@code DriverEntry} or {@code DriverUnload} still holds, by driver name. */
    private final Map<String, Thread> hungWorkers = new ConcurrentHashMap<>();

    public IoManager(Executive executive, DbgPrintSink dbgPrint, Duration watchdog) {
        this.executive = executive;
        this.dbgPrint = dbgPrint;
        this.watchdog = watchdog;
        executive.lookasideRegistry().setFaultHandler((owner, bugCheck) -> report(owner, BugCheckPhase.LOOKASIDE_SCAN, bugCheck));
    }

    public Executive executive() {
        return executive;
    }

    /** Every bug check so far, oldest first. */
    public List<BugCheckReport> bugChecks() {
        return Collections.unmodifiableList(bugChecks);
    }

    /** Calls {@code listener} with each bug check as it is caught (the host writes crash reports). */
    public void onBugCheck(Consumer<BugCheckReport> listener) {
        listeners.add(listener);
    }

    /**
     * Calls {@code listener} with the report of each unload as it ends — after {@code DriverUnload}, a forced unload,
     * or a {@code DriverEntry} that failed or faulted — on the thread that unloaded (the test kit judges leaks so).
     */
    public void onUnload(Consumer<UnloadReport> listener) {
        unloadListeners.add(listener);
    }

    /** The drivers loaded or quarantined now, by name. */
    public Map<String, LoadedDriver> drivers() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(drivers));
    }

    public Optional<LoadedDriver> driver(String name) {
        return Optional.ofNullable(drivers.get(name));
    }

    /**
     * The driver (loaded, loading or quarantined) whose thread group {@code thread} runs in: a thread the host
     * started for it, or a platform thread the driver started itself (see {@link DriverThreadGroup}).
     */
    public Optional<LoadedDriver> driverOf(Thread thread) {
        DriverThreadGroup g = DriverThreadGroup.of(thread);
        return g == null ? Optional.empty()
                : Optional.ofNullable(drivers.get(g.owner().name())).filter(d -> d.owner().equals(g.owner()));
    }

    /**
     * The system worker still running a quarantined driver's {@code DriverEntry} or {@code DriverUnload}
     * that never returned. A Java thread cannot be killed ({@code Thread.stop} is gone), so the host can
     * only show it: it runs until the driver's code returns, or the JVM exits.
     */
    public Optional<Thread> hungWorker(String name) {
        return Optional.ofNullable(hungWorkers.get(name));
    }

    /** Switches the verifier on or off for a driver name (from its next load; its current load too). */
    public void setVerified(String name, boolean verified) {
        if (verified) verifiedNames.add(name);
        else verifiedNames.remove(name);
        LoadedDriver d = drivers.get(name);
        if (d != null) {
            executive.pool().setVerified(d.owner(), verified);
        }
    }

    /**
     * Switches the verifier's special pool on or off for a driver name (from its next load; its current
     * load too): each of its blocks gets pages of its own, so an overrun or a use after free faults at once.
     */
    public void setSpecialPool(String name, boolean special) {
        if (special) specialPoolNames.add(name);
        else specialPoolNames.remove(name);
        LoadedDriver d = drivers.get(name);
        if (d != null) {
            executive.pool().setSpecialPool(d.owner(), special);
        }
    }

    public boolean isSpecialPool(String name) {
        return specialPoolNames.contains(name);
    }

    public boolean isVerified(String name) {
        return verifiedNames.contains(name);
    }

    /** The driver names the verifier is on for, sorted. */
    public List<String> verifiedNames() {
        return verifiedNames.stream().sorted().toList();
    }

    /** The driver names special pool is on for, sorted. */
    public List<String> specialPoolNames() {
        return specialPoolNames.stream().sorted().toList();
    }

    /** Loads a driver and runs its {@code DriverEntry}; never throws for anything the driver does. */
    public DriverOutcome load(DriverImage image) {
        HostEvents.DriverLoadEvent event = HostEvents.loading();
        DriverOutcome outcome = loadNow(image);
        HostEvents.loaded(event, outcome);
        return outcome;
    }

    private DriverOutcome loadNow(DriverImage image) {
        String name = image.name();
        LoadedDriver existing = drivers.get(name);
        if (existing != null) {
            NtStatus s = NtStatus.STATUS_IMAGE_ALREADY_LOADED;
            return new DriverOutcome(name, DriverState.UNLOADED, s, null,
                    name + ": " + s + "; a driver of this name is already " + existing.state().name().toLowerCase(), List.of());
        }
        Owner owner = new Owner(name, instances.incrementAndGet());
        if (verifiedNames.contains(name)) {
            executive.pool().setVerified(owner, true);
        }
        if (specialPoolNames.contains(name)) {
            executive.pool().setSpecialPool(owner, true);
        }
        DebugLineBuffer output = new DebugLineBuffer(line -> dbgPrint.line(name, line));
        DriverThreadGroup group = new DriverThreadGroup(owner, (phase, bugCheck) -> report(owner, phase, bugCheck),
                executive::translateFault);
        // The driver's constructor and static initializers are driver code too: they run on a system
        // worker under the watchdog, so a hang there cannot block the caller.
        SystemWorker.Call<Driver> created = callOnSystemWorker(group, "create " + name, output, image::newDriver);
        if (created.hung()) {
            return new DriverOutcome(name, DriverState.QUARANTINED, null, null, name + ": creating the driver from "
                    + image.origin() + " did not finish within " + watchdog.toMillis() + " ms (watchdog); driver abandoned",
                    List.of());
        }
        Driver driver = created.value();
        if (driver != null) {
            group.driverCode(driver.getClass().getClassLoader());
        }
        MemoryLayout layout = null;
        Throwable notCreated = created.fault() == null ? null
                : created.fault().getCause() != null ? created.fault().getCause() : created.fault();
        if (driver != null) {
            try {
                layout = driver.imageLayout();
            } catch (RuntimeException e) {
                notCreated = e;
            }
        }
        if (driver == null || layout == null) {
            NtStatus s = NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND;
            String why = notCreated == null ? "no driver" : notCreated.getMessage() == null ? notCreated.toString() : notCreated.getMessage();
            return new DriverOutcome(name, DriverState.UNLOADED, s, null,
                    name + ": cannot create the driver from " + image.origin() + ": " + why + " (" + s + ")", List.of());
        }
        int imageBase = 0;
        MemorySegment imageSection = MemorySegment.NULL;
        PoolAllocator system = executive.pool().forDriver(Owner.SYSTEM);
        if (layout.byteSize() > 0) {
            imageBase = system.ExAllocatePoolWithTag(PoolType.NonPagedPool, layout.byteSize(), IMAGE_TAG);
            if (imageBase == 0) {
                NtStatus s = NtStatus.STATUS_INSUFFICIENT_RESOURCES;
                return new DriverOutcome(name, DriverState.UNLOADED, s, null,
                        name + ": no non-paged pool for a " + layout.byteSize() + "-byte image section (" + s + ")", List.of());
            }
            imageSection = executive.pool().memory().resolve(imageBase, layout.byteSize()).fill((byte) 0);
        }
        SystemThreads threads = new SystemThreads(name, output, (thread, bugCheck) -> report(owner, thread, bugCheck),
                executive::translateFault, group);
        KernelDriverObject driverObject = new KernelDriverObject(name, owner, imageBase, imageSection, executive, threads);
        LoadedDriver loaded = new LoadedDriver(image, owner, driverObject, threads, group, output, DriverState.LOADING);
        rememberCodeLoader(driver, owner);
        drivers.put(name, loaded);

        SystemWorker.Call<NtStatus> entry = callOnSystemWorker(group, "DriverEntry " + name, output,
                () -> driver.DriverEntry(driverObject, driverObject.RegistryPath()));
        // a live view: dumps of lists deleted later, in DriverUnload, appear in it too
        List<String> dumps = Collections.unmodifiableList(driverObject.finalLookasideDumps);
        if (entry.hung()) {
            hungWorkers.put(name, entry.worker());
            drivers.put(name, loaded.withState(DriverState.QUARANTINED));
            return new DriverOutcome(name, DriverState.QUARANTINED, null, null,
                    name + ": DriverEntry did not return within " + watchdog.toMillis()
                            + " ms (watchdog); driver quarantined", dumps);
        }
        if (entry.fault() != null) {
            BugCheckReport r = report(owner, BugCheckPhase.DRIVER_ENTRY, entry.fault());
            // what the unload finds (blocks left behind: reclaimed, lists not deleted) is said as after a failed
            // DriverEntry, never dropped: without the verifier that is the only word of a leak
            List<String> notes = teardownAndReport(loaded, BugCheckPhase.Teardown.DRIVER_ENTRY_FAULTED);
            return new DriverOutcome(name, DriverState.UNLOADED, null, entry.fault(),
                    r.headline() + "; driver unloaded" + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"), dumps);
        }
        NtStatus status = entry.value() == null ? NtStatus.STATUS_UNSUCCESSFUL : entry.value();
        if (NT_SUCCESS(status)) {
            drivers.put(name, loaded.withState(DriverState.LOADED));
            return new DriverOutcome(name, DriverState.LOADED, status, null,
                    name + ": DriverEntry returned " + status + "; driver loaded", dumps);
        }
        List<String> notes = teardownAndReport(loaded, BugCheckPhase.Teardown.DRIVER_ENTRY_FAILED);
        String message = name + ": DriverEntry returned " + (entry.value() == null ? "null, taken as " : "") + status
                + "; driver unloaded" + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
        return new DriverOutcome(name, DriverState.UNLOADED, status, null, message, dumps);
    }

    /**
     * {@code ZwUnloadDriver}: calls the driver's {@code DriverUnload} and unloads it.
     *
     * @return {@code STATUS_SUCCESS}; {@code STATUS_OBJECT_NAME_NOT_FOUND} when no such driver is
     *         loaded; {@code STATUS_INVALID_DEVICE_REQUEST} when it has no {@code DriverUnload}
     *         (it stays loaded, as in NT)
     */
    public NtStatus unload(String name) {
        LoadedDriver d = drivers.get(name);
        if (d == null || d.state() != DriverState.LOADED) {
            return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
        }
        if (!d.hasUnloadRoutine()) {
            return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
        }
        unloadNow(d, "DriverUnload", new UnloadReport.Builder(d));
        return NtStatus.STATUS_SUCCESS;
    }

    /**
     * Unloads a driver whatever it says — its bundle was stopped, or the host is shutting down:
     * {@code DriverUnload} runs if it set one; what it still owns is reported and reclaimed.
     *
     * @return what happened, one line per finding; empty when the driver was not loaded
     */
    public UnloadReport forceUnload(String name) {
        LoadedDriver d = drivers.get(name);
        if (d == null) {
            return UnloadReport.nothing(name, List.of());
        }
        if (d.state() == DriverState.QUARANTINED) {
            return UnloadReport.nothing(name, List.of(name + ": quarantined; left as it is"));
        }
        UnloadReport.Builder notes = new UnloadReport.Builder(d);
        if (!d.hasUnloadRoutine()) {
            notes.line(name + ": has no DriverUnload; unloaded anyway");
        }
        return unloadNow(d, d.hasUnloadRoutine() ? "DriverUnload" : null, notes);
    }

    private UnloadReport unloadNow(LoadedDriver d, String routine, UnloadReport.Builder notes) {
        HostEvents.DriverUnloadEvent event = HostEvents.unloading();
        unloadRoutineAndTeardown(d, routine, notes);
        LoadedDriver after = drivers.get(d.name());
        DriverState state = after != null && after.owner().equals(d.owner()) ? after.state() : DriverState.UNLOADED;
        UnloadReport report = notes.build(state);
        HostEvents.unloaded(event, report, routine != null);
        return published(report);
    }

    private void unloadRoutineAndTeardown(LoadedDriver d, String routine, UnloadReport.Builder notes) {
        if (routine != null) {
            SystemWorker.Call<Object> call = callOnSystemWorker(d.group(), "DriverUnload " + d.name(), d.output(), () -> {
                d.kernelObject().DriverUnload().DriverUnload(d.kernelObject());
                return null;
            });
            if (call.hung()) {
                hungWorkers.put(d.name(), call.worker());
                drivers.put(d.name(), d.withState(DriverState.QUARANTINED));
                notes.line(d.name() + ": DriverUnload did not return within " + watchdog.toMillis() + " ms; driver quarantined");
                return;
            }
            if (call.fault() != null) {
                notes.bugCheck(report(d.owner(), BugCheckPhase.DRIVER_UNLOAD, call.fault()));
            }
        }
        teardown(d, BugCheckPhase.Teardown.UNLOAD, notes);
    }

    /** The teardown after a failed {@code DriverEntry}: its report published like an unload's; its lines returned. */
    private List<String> teardownAndReport(LoadedDriver d, BugCheckPhase.Teardown why) {
        UnloadReport.Builder notes = new UnloadReport.Builder(d);
        teardown(d, why, notes);
        LoadedDriver after = drivers.get(d.name());
        return published(notes.build(after != null && after.owner().equals(d.owner()) ? after.state() : DriverState.UNLOADED)).lines();
    }

    /** Tells the unload listeners ({@link #onUnload}); returns {@code report}. */
    private UnloadReport published(UnloadReport report) {
        return tell(unloadListeners, report);
    }

    /** Hands {@code value} to each listener; one that fails is printed and the others still hear it. */
    private static <T> T tell(List<Consumer<T>> listeners, T value) {
        for (Consumer<T> l : listeners) {
            try {
                l.accept(value);
            } catch (RuntimeException listenerFault) {
                listenerFault.printStackTrace();
            }
        }
        return value;
    }

    /**
     * The end of every load: join the driver's threads, run the verifier's unload checks, give its
     * memory back. Returns what it found, one line each.
     */
    private void teardown(LoadedDriver d, BugCheckPhase.Teardown why, UnloadReport.Builder notes) {
        Owner owner = d.owner();
        List<SystemThread> running = d.threads().joinAll(watchdog);
        if (!running.isEmpty()) {
            drivers.put(d.name(), d.withState(DriverState.QUARANTINED));
            notes.line(d.name() + ": " + running.size() + " system thread(s) still running after " + why
                    + "; driver quarantined");
            return;
        }
        // Threads the driver left running are found while they still run its code; then its handles die: such a
        // thread meets 0xCE at its next call.
        Map<Thread, StackTraceElement[]> leftover = leftoverThreads(d);
        d.kernelObject().revoke(executive.pool());
        if (!stopLeftoverThreads(d, why, leftover, notes)) {
            return;
        }
        d.output().flush();
        boolean verified = executive.pool().isVerified(owner);
        List<PoolBlockInfo> leaks = executive.pool().outstanding(owner);
        List<LookasideInfo> lists = executive.lookasideRegistry().ownedBy(owner);
        if (!lists.isEmpty()) {
            if (verified) {
                for (LookasideInfo l : lists) {
                    BugCheck b = new BugCheck(BugCheckCode.TIMER_OR_DPC_INVALID, UNDELETED_LOOKASIDE,
                            Integer.toUnsignedLong(l.address()), Integer.toUnsignedLong(d.imageBase()),
                            Integer.toUnsignedLong(d.imageBase() + d.imageSize()),
                            String.format("%s unloaded without deleting its lookaside list at %08X (tag %s)",
                                    d.name(), l.address(), PoolTag.toString(l.tag())));
                    notes.bugCheck(report(owner, why, b));
                }
                executive.lookasideRegistry().purge(owner);
            } else {
                notes.line(d.name() + ": " + lists.size() + " lookaside list(s) not deleted; they stay registered"
                        + " until the balance-set manager's next scan");
            }
        }
        if (!leaks.isEmpty()) {
            String detail = UnloadReport.leakDetail(d.name(), leaks, verified);
            if (verified) {
                BugCheck b = new BugCheck(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62, 0, 0, leaks.size(), detail);
                notes.bugCheck(report(owner, why, b));
            } else {
                notes.line(detail + "; reclaimed");
            }
        }
        // what is given back now is what the driver left: its report lists these blocks (each with its allocation
        // site under the verifier) and the lists it did not delete, purged above or still registered
        List<PoolBlockInfo> left = executive.pool().outstanding(owner);
        notes.leaked(left, lists);
        countReclaimed(left);
        executive.pool().reclaim(owner);
        if (d.imageBase() != 0) {
            executive.pool().forDriver(Owner.SYSTEM).ExFreePoolWithTag(d.imageBase(), IMAGE_TAG);
        }
        drivers.remove(d.name());
    }

    /** What the host reclaimed at unloads, per tag and pool: blocks the pool counts as frees, no driver freed. */
    private final Map<Long, Long> reclaimed = new java.util.concurrent.ConcurrentHashMap<>();

    private void countReclaimed(List<PoolBlockInfo> blocks) {
        for (PoolBlockInfo b : blocks) {
            reclaimed.merge(reclaimKey(b.tag(), PoolType.isPaged(b.poolType())), 1L, Long::sum);
        }
    }

    private static long reclaimKey(int tag, boolean paged) {
        return ((long) (tag & ~PoolTag.PROTECTED_POOL) << 1) | (paged ? 1 : 0);
    }

    /**
     * How many blocks of {@code tag} in one pool the host has freed at unloads because their driver left them
     * (reclaimed): the pool counts them among the tag's frees, a report of what drivers did should not.
     */
    public long reclaimedBlocks(int tag, boolean paged) {
        return reclaimed.getOrDefault(reclaimKey(tag, paged), 0L);
    }

    /**
     * The threads of the driver's group still running its code, with their stacks, after a short grace for
     * threads that are just ending (a pool's worker after {@code shutdown}).
     */
    private Map<Thread, StackTraceElement[]> leftoverThreads(LoadedDriver d) {
        List<Thread> candidates = d.group().liveThreads(Thread.currentThread());
        long grace = System.nanoTime() + ENDING_THREAD_GRACE.toNanos();
        for (Thread t : candidates) {
            Uninterruptibles.joinUninterruptibly(t, Duration.ofNanos(Math.max(1, grace - System.nanoTime())));
        }
        Map<Thread, StackTraceElement[]> leftover = new LinkedHashMap<>();
        for (Thread t : candidates) {
            if (t.isAlive()) {
                StackTraceElement[] stack = t.getStackTrace();
                if (d.group().runsDriverCode(stack)) {
                    leftover.put(t, stack);
                }
            }
        }
        return leftover;
    }

    /**
     * Threads of the driver's own still running at its unload (it started them and did not stop them): a
     * bug check {@code 0xCE} naming each with its stack, then each is interrupted and given the watchdog's
     * time to end — its next call through a revoked handle ends it too. Returns false when some still run:
     * the driver is quarantined then, its memory left alone, since those threads may still touch it.
     */
    private boolean stopLeftoverThreads(LoadedDriver d, BugCheckPhase.Teardown why, Map<Thread, StackTraceElement[]> leftover,
                                        UnloadReport.Builder notes) {
        if (leftover.isEmpty()) {
            return true;
        }
        // the stacks go into the crash report as the bug check's cause, one throwable per thread
        Throwable stacks = null;
        for (Map.Entry<Thread, StackTraceElement[]> e : leftover.entrySet()) {
            Throwable t = new Throwable("thread \"" + e.getKey().getName() + "\" of " + d.name()
                    + " still running at its unload");
            t.setStackTrace(e.getValue());
            if (stacks == null) {
                stacks = t;
            } else {
                stacks.addSuppressed(t);
            }
        }
        String names = leftover.keySet().stream().map(t -> "\"" + t.getName() + "\"").collect(Collectors.joining(", "));
        BugCheck b = new BugCheck(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
                Integer.toUnsignedLong(d.imageBase()), 0, 0, leftover.size(), String.format(
                        "%s unloaded (%s) with %d thread(s) of its own still running (%s); interrupted,"
                                + " stacks in the crash report", d.name(), why, leftover.size(), names), stacks);
        notes.bugCheck(report(d.owner(), why, b));
        leftover.keySet().forEach(Thread::interrupt);
        long deadline = System.nanoTime() + watchdog.toNanos();
        for (Thread t : leftover.keySet()) {
            Uninterruptibles.joinUninterruptibly(t, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        List<String> still = leftover.keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
        if (still.isEmpty()) {
            return true;
        }
        drivers.put(d.name(), d.withState(DriverState.QUARANTINED));
        notes.line(d.name() + ": " + still.size() + " thread(s) still running " + watchdog.toMillis()
                + " ms after they were interrupted (" + String.join(", ", still) + "); driver quarantined");
        return false;
    }

    /**
     * The driver whose code {@code loader} loaded (the latest, if several loads shared it), loaded or
     * unloaded; empty for a loader that also loads the host (drivers on the host's class path, as in the
     * test kit, cannot be told apart from the host by their loader).
     */
    public Optional<Owner> driverOfCode(ClassLoader loader) {
        return loader == null ? Optional.empty() : Optional.ofNullable(codeLoaders.get(loader));
    }

    private void rememberCodeLoader(Driver driver, Owner owner) {
        ClassLoader loader = driver.getClass().getClassLoader();
        if (loader != null && loader != IoManager.class.getClassLoader() && loader != ClassLoader.getPlatformClassLoader()
                && loader != ClassLoader.getSystemClassLoader()) {
            codeLoaders.put(loader, owner);
        }
    }

    /**
     * Records a bug check as {@code owner}'s fault and tells the listeners. A bug check already reported
     * (the same exception: one the {@link ExitGuard} reported and threw, that unwound DriverEntry or a
     * system thread afterwards) is not reported again; its first report is returned.
     */
    public BugCheckReport report(Owner owner, BugCheckPhase phase, BugCheck bugCheck) {
        BugCheckReport r;
        synchronized (bugChecks) {
            for (BugCheckReport earlier : bugChecks) {
                if (earlier.bugCheck() == bugCheck) {
                    return earlier;
                }
            }
            r = new BugCheckReport(owner, phase, bugCheck, Instant.now());
            bugChecks.add(r);
        }
        HostEvents.bugCheck(r, isVerifiedSafely(owner));
        return tell(listeners, r);
    }

    /** Whether the pool verifies {@code owner}; false when the pool is gone (a halt stopped the framework). */
    private boolean isVerifiedSafely(Owner owner) {
        try {
            return executive.pool().isVerified(owner);
        } catch (RuntimeException poolGone) {
            return false;
        }
    }

    private <T> SystemWorker.Call<T> callOnSystemWorker(ThreadGroup group, String what, DebugLineBuffer output,
                                                       SystemWorker.DriverCall<T> code) {
        return SystemWorker.call(group, what, output, watchdog, executive::translateFault, code);
    }

    /** Unloads every loaded driver, newest first. */
    @Override
    public void close() {
        List<String> names = new ArrayList<>(drivers.keySet());
        Collections.reverse(names);
        names.forEach(this::forceUnload);
    }
}
