package dev.ringzero.testkit;

import dev.ringzero.api.Driver;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverImage;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.InProcessHost;
import dev.ringzero.host.core.UnloadReport;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.memory.ExecutivePool;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An in-process Ringzero host for one test: the executive's pool and lookaside lists (found with
 * {@link java.util.ServiceLoader}), the host's I/O manager on top — the same lifecycle core the Felix host runs
 * drivers with — and the assertions a driver author needs.
 *
 * {@snippet :
 * @DriverTest(verifier = true)
 * class MyDriverTest {
 *
 *     @Test
 *     void shouldQueueRequestsAndGiveEverythingBack(DriverHarness kd) {
 *         kd.load(MyDriver.class).assertStatus(NtStatus.STATUS_SUCCESS);
 *         kd.tick(3);                                       // the balance-set manager tunes each list every 3 s
 *         assertEquals(NtStatus.STATUS_SUCCESS, kd.unload("MyDriver"));
 *         kd.assertNoLeaks();
 *         kd.assertNoBugChecks();
 *     }
 * }
 * }
 *
 * <h2>What runs</h2>
 * {@link #load} does what NT's I/O manager does: a {@code DRIVER_OBJECT} for the driver, its image
 * section, {@code DriverEntry} on a system worker thread at PASSIVE_LEVEL with a 30-second watchdog; a
 * failure status unloads it at once (without {@code DriverUnload}), an exception is a bug check. No
 * bug check ever escapes into the test: each is recorded, and {@link #assertNoBugChecks} or
 * {@link DriverRun#assertStatus} turn it into a failure that names it.
 *
 * <h2>Time</h2>
 * The balance-set manager never runs by itself: {@link #tick} advances its clock by one second and
 * runs it once, so lookaside depths change only when the test says so.
 *
 * <p>The harness is made and closed by {@link DriverTestExtension}; closing unloads whatever is still
 * loaded and releases the pool's memory.
 */
public final class DriverHarness implements AutoCloseable {

    /** How long {@code DriverEntry} / {@code DriverUnload} may run before the watchdog reports the driver. */
    static final Duration WATCHDOG = Duration.ofSeconds(30);

    /** The in-process host: the executive assembled as the launcher does, the I/O manager on top, and its close. */
    private final InProcessHost host;
    private final Executive executive;
    private final IoManager io;
    private final boolean verifier;
    private final AtomicLong nanoTime = new AtomicLong();
    /** The unloads that left something behind (blocks, lists), oldest first: what {@link #assertNoLeaks} judges. */
    private final List<UnloadReport> leaks = new CopyOnWriteArrayList<>();
    private final Map<String, DriverRun> current = new ConcurrentHashMap<>();
    private final List<DriverRun> runs = new CopyOnWriteArrayList<>();

    private DriverHarness(boolean verifier) {
        this.verifier = verifier;
        // the launcher's assembly (ServiceLoader over the module or class path) through the in-process host;
        // allocator-pool and allocator-lookaside come with driver-testkit as runtime dependencies
        this.host = InProcessHost.builder().verifier(verifier).clock(nanoTime::get).watchdog(WATCHDOG)
                .echo(this::dbgPrintLine).build();
        this.executive = host.executive();
        this.io = host.io();
        // the I/O manager's report of each unload carries the blocks and lists the driver left, as they were
        io.onUnload(report -> {
            if (!report.clean()) {
                leaks.add(report);
            }
        });
    }

    /** A host with the verifier on or off for every driver, and {@code lookaside} selected ({@code ""}: the default). */
    static DriverHarness start(boolean verifier, String lookaside) {
        DriverHarness h = new DriverHarness(verifier);
        try {
            if (!lookaside.isEmpty()) {
                h.selectLookaside(lookaside);
            }
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private void dbgPrintLine(String driver, String line) {
        DriverRun run = current.get(driver);
        if (run != null) {
            run.lines.add(line);
        }
    }

    // ------------------------------------------------------------------------------------------ drivers

    /**
     * Loads a driver under the name the host would give it — its {@link dev.ringzero.api.RingzeroDriver @RingzeroDriver}
     * name (or a hand-written name {@code @Header}), else the class's simple name — and runs its {@code DriverEntry}.
     */
    public DriverRun load(Class<? extends Driver> entryClass) {
        return load(DriverNames.of(entryClass), entryClass);
    }

    /**
     * Loads a driver as {@code name} and runs its {@code DriverEntry}; returns when it has returned
     * (and, if it failed, when the host has unloaded it again).
     */
    public DriverRun load(String name, Class<? extends Driver> entryClass) {
        DriverImage image = DriverImage.of(name, entryClass);
        DriverRun run = new DriverRun(this, name, entryClass);
        runs.add(run);
        if (io.driver(name).isEmpty()) {            // else the I/O manager answers STATUS_IMAGE_ALREADY_LOADED
            current.put(name, run);
        }
        run.finish(io.load(image));
        return run;
    }

    /**
     * {@code ZwUnloadDriver}: calls the driver's {@code DriverUnload} and unloads it.
     *
     * @return {@code STATUS_SUCCESS}; {@code STATUS_OBJECT_NAME_NOT_FOUND} when no driver of that name
     *         is loaded; {@code STATUS_INVALID_DEVICE_REQUEST} when it set no {@code DriverUnload} (it
     *         stays loaded, as in NT)
     */
    public NtStatus unload(String name) {
        return io.unload(name);
    }

    /** Every line drivers named {@code name} printed, over all their loads, in order. */
    public List<String> dbgPrint(String name) {
        return host.dbgPrint(name);
    }

    boolean isLoaded(DriverRun run) {
        return current.get(run.name()) == run
                && io.driver(run.name()).map(d -> d.state() == DriverState.LOADED).orElse(false);
    }

    // ---------------------------------------------------------------------------------------- executive

    /**
     * One second of the balance-set manager: advances its clock by a second and runs it once
     * ({@code ExAdjustLookasideDepth}; each list is tuned every third tick).
     */
    public void tick() {
        nanoTime.addAndGet(TimeUnit.SECONDS.toNanos(1));
        host.adjustLookasideDepth();
    }

    /** {@link #tick()} {@code seconds} times. */
    public void tick(int seconds) {
        for (int i = 0; i < seconds; i++) {
            tick();
        }
    }

    /**
     * Makes {@code implementation} ({@code nt}, {@code magazine}, …) serve the lookaside lists initialized
     * from now on; lists that exist stay with the implementation that made them.
     *
     * @throws IllegalArgumentException naming the implementations the host knows, when it knows no
     *                                  {@code implementation}
     */
    public void selectLookaside(String implementation) {
        if (!executive.lookasideProviders().containsKey(implementation)) {
            throw new UnknownLookasideException("no lookaside implementation '" + implementation
                    + "' was found; known: " + executive.lookasideProviders().keySet().stream().sorted().toList());
        }
        executive.selectLookaside(implementation);
    }

    /** The pool: usage per tag ({@code !poolused}: {@link ExecutivePool#renderPoolUsed}), bytes in use, the address space. */
    public ExecutivePool pool() {
        return executive.pool();
    }

    /** Every live lookaside list ({@code !lookaside}: {@link LookasideRegistry#renderAll}). */
    public LookasideRegistry lookaside() {
        return executive.lookasideRegistry();
    }

    /** Every bug check so far, oldest first: whose, during what, the stop code and its parameters. */
    public List<BugCheckReport> bugChecks() {
        return io.bugChecks();
    }

    // --------------------------------------------------------------------------------------- assertions

    /**
     * Asserts that no driver bug-checked: in {@code DriverEntry}, {@code DriverUnload}, its system threads,
     * at unload (the verifier's leak checks) or while the balance-set manager scanned its lists.
     *
     * @throws AssertionError listing each bug check by name and parameters, whose it was and during
     *                        what, and the driver's line that raised it
     */
    public void assertNoBugChecks() {
        List<BugCheckReport> reports = bugChecks();
        if (reports.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("expected no bug checks, but there ")
                .append(reports.size() == 1 ? "was 1" : "were " + reports.size()).append(":\n");
        for (BugCheckReport r : reports) {
            sb.append(Explain.bugCheck(r, driverFrames(r.owner().name())));
        }
        throw new AssertionError(sb.toString(), reports.getFirst().bugCheck());
    }

    /**
     * Asserts that every driver that has been unloaded — or failed to load — had freed all its pool and
     * deleted all its lookaside lists, as the verifier checks at unload. A driver still loaded cannot be
     * judged yet: unload it first.
     *
     * @throws AssertionError listing, per driver, each leaked block (address, size, pool, tag and, under
     *                        the verifier, the line that allocated it) and each undeleted lookaside list;
     *                        or naming the drivers still loaded
     */
    public void assertNoLeaks() {
        List<String> stillLoaded = io.drivers().values().stream().filter(d -> d.state() == DriverState.LOADED)
                .map(d -> d.name() + (d.hasUnloadRoutine() ? "" : " (it set no DriverUnload, so it cannot be unloaded)"))
                .toList();
        if (!stillLoaded.isEmpty()) {
            throw new AssertionError("cannot judge leaks of drivers still loaded: " + String.join(", ", stillLoaded)
                    + ". Leaks are judged when a driver unloads, as the verifier does: unload it first (kd.unload(name)).");
        }
        if (leaks.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("expected every driver to give back what it allocated, but ")
                .append(leaks.size() == 1 ? "one did not" : leaks.size() + " did not").append(":\n");
        boolean sitesMissing = false;
        for (UnloadReport leak : leaks) {
            sb.append(leak.owner()).append(" unloaded");
            if (!leak.leakedBlocks().isEmpty()) {
                sb.append(" without freeing ").append(Explain.plural(leak.leakedBlocks().size(), "pool block")).append(":\n");
                for (PoolBlockInfo b : leak.leakedBlocks()) {
                    sb.append("    ").append(Explain.block(b)).append('\n');
                    sitesMissing |= b.allocationSite() == null;
                }
            }
            if (!leak.undeletedLists().isEmpty()) {
                sb.append(leak.leakedBlocks().isEmpty() ? " without" : "  and without").append(" deleting ")
                        .append(Explain.plural(leak.undeletedLists().size(), "lookaside list")).append(":\n");
                for (LookasideInfo l : leak.undeletedLists()) {
                    sb.append("    ").append(Explain.list(l)).append('\n');
                }
            }
        }
        if (sitesMissing && !verifier) {
            sb.append("(With the verifier on, @DriverTest(verifier = true), each block names the line that allocated it.)\n");
        }
        throw new AssertionError(sb.toString());
    }

    /** Frames of the code of drivers named {@code name}: in the packages of their entry classes. */
    Predicate<StackTraceElement> driverFrames(String name) {
        List<String> packages = runs.stream().filter(r -> r.name().equals(name))
                .map(r -> r.entryClass().getPackageName()).distinct().toList();
        return frame -> packages.stream().anyMatch(p -> p.isEmpty()
                ? frame.getClassName().indexOf('.') < 0
                : frame.getClassName().startsWith(p + "."));
    }


    /** Unloads every driver still loaded (newest first), stops the lookaside machinery and releases the pool. */
    @Override
    public void close() {
        host.close();
    }

    /** {@link #selectLookaside} with a name the host does not know. */
    static final class UnknownLookasideException extends IllegalArgumentException {
        UnknownLookasideException(String message) {
            super(message);
        }
    }
}
