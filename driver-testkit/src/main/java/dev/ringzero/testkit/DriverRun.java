package dev.ringzero.testkit;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Driver;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import dev.ringzero.host.core.BugCheckPhase;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.DriverState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opentest4j.AssertionFailedError;

/**
 * One load of one driver, from {@code DriverEntry} until it is unloaded: what {@code DriverEntry}
 * returned, what the host said about it, and every line the driver printed meanwhile (in
 * {@code DriverEntry}, in its system threads, in {@code DriverUnload}).
 *
 * {@snippet :
 * DriverRun run = kd.load(MyDriver.class).assertStatus(NtStatus.STATUS_SUCCESS);
 * List<String> printed = run.assertDbgPrint(
 *         "MyDriver: Lookaside list at %08X initialized",     // a DbgPrint format: %08X matches any address
 *         "MyDriver: Request #1 queued");                      // no conversion: the exact line
 * int header = Integer.parseUnsignedInt(printed.getFirst(), 16);
 * }
 */
public final class DriverRun {

    private final DriverHarness harness;
    private final String name;
    private final Class<? extends Driver> entryClass;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile DriverOutcome outcome;

    DriverRun(DriverHarness harness, String name, Class<? extends Driver> entryClass) {
        this.harness = harness;
        this.name = name;
        this.entryClass = entryClass;
    }

    void finish(DriverOutcome o) {
        this.outcome = o;
    }

    /** The driver's service name ({@code \Driver\<name>}). */
    public String name() {
        return name;
    }

    /** The driver's entry class. */
    public Class<? extends Driver> entryClass() {
        return entryClass;
    }

    /**
     * What {@code DriverEntry} returned — or what the I/O manager answered instead
     * ({@code STATUS_IMAGE_ALREADY_LOADED}, {@code STATUS_DRIVER_ENTRYPOINT_NOT_FOUND}); {@code null}
     * when {@code DriverEntry} bug-checked or never returned.
     */
    public NtStatus status() {
        return outcome.status();
    }

    /** The bug check {@code DriverEntry} ended in, if it did. */
    public Optional<BugCheck> bugCheck() {
        return Optional.ofNullable(outcome.bugCheck());
    }

    /** Whether this load of the driver is loaded now (its {@code DriverEntry} succeeded and it was not unloaded since). */
    public boolean loaded() {
        return harness.isLoaded(this);
    }

    /**
     * The host's one-line account of the load, e.g.
     * {@code LookasideList: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded}.
     */
    public String hostMessage() {
        return outcome.message();
    }

    /** {@code !lookaside} of each list the driver deleted during {@code DriverEntry}, taken just before the delete. */
    public List<String> lookasideDumps() {
        return outcome.lookasideDumps();
    }

    /** The lines this load printed so far, in order, without their newlines. */
    public List<String> dbgPrint() {
        return List.copyOf(lines);
    }

    /**
     * Asserts that {@code DriverEntry} returned {@code expected}.
     *
     * @return this run
     * @throws AssertionError naming what happened instead: the other status, or the bug check by name
     *                        and parameters with the driver's line that raised it, or the watchdog;
     *                        followed by the driver's {@code DbgPrint} output
     */
    public DriverRun assertStatus(NtStatus expected) {
        if (expected.equals(outcome.status())) {
            return this;
        }
        StringBuilder sb = new StringBuilder(name).append(": expected DriverEntry to return ").append(expected);
        if (outcome.bugCheck() != null) {
            sb.append(", but the driver bug-checked:\n").append(Explain.bugCheck(reportOf(outcome.bugCheck()),
                    harness.driverFrames(name)));
        } else if (outcome.state() == DriverState.QUARANTINED) {
            sb.append(", but it never returned:\n    ").append(outcome.message()).append('\n');
        } else {
            sb.append(", but it returned ").append(outcome.status()).append('\n')
                    .append("    host: ").append(outcome.message()).append('\n');
        }
        sb.append("DbgPrint output:\n").append(Explain.transcript(dbgPrint(), 0));
        throw new AssertionFailedError(sb.toString(), expected, outcome.status(), outcome.bugCheck());
    }

    /**
     * Asserts that this load printed exactly these lines, each written as a {@code DbgPrint} format:
     * a conversion ({@code %08X}, {@code %d}, {@code %s}, …) matches whatever {@code DbgPrint} could print
     * there; other characters match themselves ({@code %%} is a percent sign).
     *
     * @return what the lines printed for the conversions, in order: the values of every {@code %08X},
     *         {@code %d}, … of every line
     * @throws AssertionError naming the first line that differs (or the missing or extra lines), with
     *                        the whole output numbered
     */
    public List<String> assertDbgPrint(String... expected) {
        return assertDbgPrint(Arrays.asList(expected));
    }

    /** {@link #assertDbgPrint(String...)} for a list built in a loop. */
    public List<String> assertDbgPrint(List<String> expected) {
        List<String> actual = dbgPrint();
        List<String> values = new ArrayList<>();
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            var match = DbgPrintPattern.of(expected.get(i)).match(actual.get(i));
            if (match.isEmpty()) {
                throw mismatch(expected, actual, String.format(
                        "line %d differs%n    expected: %s%n    printed:  %s%n", i + 1, expected.get(i), actual.get(i)), i + 1);
            }
            values.addAll(match.get());
        }
        if (actual.size() > expected.size()) {
            throw mismatch(expected, actual, String.format("it printed %s more than expected, from line %d: %s%n",
                    Explain.plural(actual.size() - expected.size(), "line"), n + 1, actual.get(n)), n + 1);
        }
        if (actual.size() < expected.size()) {
            throw mismatch(expected, actual, String.format("it printed %s fewer than expected; the first missing one: %s%n",
                    Explain.plural(expected.size() - actual.size(), "line"), expected.get(n)), 0);
        }
        return values;
    }

    private AssertionFailedError mismatch(List<String> expected, List<String> actual, String what, int mark) {
        String message = name + ": DbgPrint output differs from the expected " + Explain.plural(expected.size(), "line")
                + ": " + what + "DbgPrint output:\n" + Explain.transcript(actual, mark);
        return new AssertionFailedError(message, String.join("\n", expected), String.join("\n", actual));
    }

    private BugCheckReport reportOf(BugCheck b) {
        return harness.bugChecks().stream().filter(r -> r.bugCheck() == b).findFirst()
                .orElseGet(() -> new BugCheckReport(new Owner(name, 0), BugCheckPhase.DRIVER_ENTRY, b, Instant.now()));
    }

    @Override
    public String toString() {
        return outcome == null ? name + ": loading" : outcome.message();
    }
}
