package dev.ringzero.host.core;

import dev.ringzero.api.NtStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * A host without OSGi: the executive assembled from the module path (or class path) as the launcher does
 * ({@link ExecutiveAssembly}), an {@link IoManager} on top, and every driver's {@code DbgPrint} lines kept.
 * This is what runs a driver in a plain JUnit test; each instance has its own pool and address space.
 *
 * {@snippet :
 * try (InProcessHost host = InProcessHost.builder().lookaside("nt").build()) {
 *     DriverOutcome outcome = host.load(DriverImage.of("LookasideList", LookasideList.class));
 *     List<String> transcript = host.dbgPrint("LookasideList");
 * }
 * }
 *
 * <p>The balance-set manager does not run by itself unless asked for ({@link Builder#startTuner}):
 * tests advance it with {@link #adjustLookasideDepth()}, so nothing depends on wall-clock time.
 */
public final class InProcessHost implements AutoCloseable {

    private final ExecutiveAssembly assembly;
    private final Executive executive;
    private final IoManager io;
    private final Map<String, List<String>> lines = new ConcurrentHashMap<>();
    private final List<String> transcript = new CopyOnWriteArrayList<>();

    private InProcessHost(Builder b) {
        this.assembly = ExecutiveAssembly.assemble(null, b.clock, b.startTuner);
        this.executive = assembly.executive();
        if (b.lookaside != null) {
            executive.selectLookaside(b.lookaside);
        }
        executive.pool().setVerifiedByDefault(b.verifier);
        this.io = new IoManager(executive, (driver, line) -> {
            lines.computeIfAbsent(driver, d -> new CopyOnWriteArrayList<>()).add(line);
            transcript.add(driver + ": " + line);
            if (b.echo != null) b.echo.line(driver, line);
        }, b.watchdog);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Loads a driver and runs its {@code DriverEntry}; see {@link IoManager#load}. */
    public DriverOutcome load(DriverImage image) {
        return io.load(image);
    }

    /** Unloads a loaded driver through its {@code DriverUnload}; see {@link IoManager#unload}. */
    public NtStatus unload(String name) {
        return io.unload(name);
    }

    /** Every line {@code driver} has printed so far, in order. */
    public List<String> dbgPrint(String driver) {
        return List.copyOf(lines.getOrDefault(driver, List.of()));
    }

    /** Every line of every driver, as {@code <driver>: <line>}. */
    public List<String> transcript() {
        return new ArrayList<>(transcript);
    }

    /** The bug checks caught so far. */
    public List<BugCheckReport> bugChecks() {
        return io.bugChecks();
    }

    /** One tick of the balance-set manager (each list is tuned every third tick). */
    public void adjustLookasideDepth() {
        executive.lookasideRegistry().adjustLookasideDepth();
    }

    public Executive executive() {
        return executive;
    }

    public IoManager io() {
        return io;
    }

    /** Unloads every driver, stops the tuner and releases the pool's memory. */
    @Override
    public void close() {
        try {
            io.close();
        } finally {
            assembly.close();
        }
    }

    /** How to build an {@link InProcessHost}. */
    public static final class Builder {
        private String lookaside;
        private boolean verifier;
        private boolean startTuner;
        private LongSupplier clock = System::nanoTime;
        private Duration watchdog = Duration.ofSeconds(30);
        private DbgPrintSink echo;

        private Builder() {
        }

        /** The lookaside implementation new lists get ({@code nt}, {@code magazine}); default: the first found. */
        public Builder lookaside(String name) {
            this.lookaside = name;
            return this;
        }

        /** Driver Verifier for every driver. */
        public Builder verifier(boolean on) {
            this.verifier = on;
            return this;
        }

        /** The balance-set manager's clock, for the ticks a test makes itself ({@link #adjustLookasideDepth()}). */
        public Builder clock(LongSupplier nanoClock) {
            this.clock = nanoClock;
            return this;
        }

        /** Runs the 1-second balance-set manager on {@code clock} instead of leaving tuning to explicit ticks. */
        public Builder startTuner(LongSupplier nanoClock) {
            this.startTuner = true;
            this.clock = nanoClock;
            return this;
        }

        /** How long {@code DriverEntry} and {@code DriverUnload} may take before the watchdog reports them. */
        public Builder watchdog(Duration watchdog) {
            this.watchdog = watchdog;
            return this;
        }

        /** Also passes every {@code DbgPrint} line to {@code sink} as it comes (e.g. to print it). */
        public Builder echo(DbgPrintSink sink) {
            this.echo = sink;
            return this;
        }

        public InProcessHost build() {
            return new InProcessHost(this);
        }
    }
}
