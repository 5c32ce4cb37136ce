package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.distribution.watch.BusyListDriver;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ringzero run --jfr FILE} over the sample drivers and a busy one, and the recording read back with
 * {@link RecordingFile}: each of Ringzero's events with its fields.
 */
class JfrRecordingIT {

    @TempDir
    static Path tmp;

    private static List<RecordedEvent> events;
    private static List<String> stdout;
    private static int exitCode;

    /**
     * One run: the tutorial's driver (a load that fails with its status), the busy driver (a pool allocation failure,
     * depth adjustments, a load and an unload with DriverUnload), and the forgetful driver under the verifier (its
     * free of a live list's header is the verifier's 0xC4/0xCC, in DriverEntry).
     */
    @BeforeAll
    static void recordARun() throws Exception {
        Path home = Distribution.home();
        Path busy = TestBundles.driverBundle(tmp.resolve("busy"), BusyListDriver.class);
        Path recording = tmp.resolve("run.jfr");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/ringzero").toString(), "run", "--verify", "Forgetful",
                "--jfr", recording.toString(), home.resolve("samples/lookaside-list-driver.jar").toString(), busy.toString(),
                home.resolve("samples/forgetful-driver.jar").toString()).directory(tmp.toFile());
        Map<String, String> env = pb.environment();
        env.put("RINGZERO_DATA", tmp.resolve("data").toString());
        env.put("RINGZERO_LOG", tmp.resolve("log").toString());
        env.remove("RINGZERO_OPTS");
        Path out = tmp.resolve("stdout.txt");
        pb.redirectOutput(out.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ringzero run did not finish within 180 s:\n" + Files.readString(out));
        }
        exitCode = p.exitValue();
        stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(recording).as("the recording; output:\n%s", String.join("\n", stdout)).isRegularFile();
        events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().startsWith("dev.ringzero.")) {
                events.add(e);
            }
        }
    }

    private static List<RecordedEvent> named(String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals("dev.ringzero." + name)).toList();
    }

    @Test
    void shouldRecordOnlyRingzerosEventsInCategoryRingzero() {
        assertThat(exitCode).as("a bug check in the run: exit code 3; output:\n%s", String.join("\n", stdout)).isEqualTo(3);
        assertThat(events).isNotEmpty();
        assertThat(events).allSatisfy(e -> assertThat(e.getEventType().getCategoryNames()).containsExactly("Ringzero"));
        assertThat(named("PoolAllocate")).as("off in etc/ringzero.jfc").isEmpty();
        assertThat(named("PoolFree")).as("off in etc/ringzero.jfc").isEmpty();
        assertThat(named("LookasideMiss")).as("off in etc/ringzero.jfc").isEmpty();
    }

    @Test
    void shouldRecordEachLoadWithItsStatusAndDuration() {
        List<RecordedEvent> loads = named("DriverLoad");
        assertThat(loads).extracting(e -> e.getString("driver")).containsExactly("LookasideList", "BusyListDriver", "Forgetful");
        RecordedEvent tutorial = loads.get(0);
        assertThat(tutorial.getString("state")).isEqualTo("UNLOADED");
        assertThat(tutorial.getString("status")).isEqualTo("STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182)");
        assertThat(tutorial.getInt("statusValue")).isEqualTo(0xC0000182);
        assertThat(tutorial.getString("bugCheck")).isEmpty();
        RecordedEvent busy = loads.get(1);
        assertThat(busy.getString("state")).isEqualTo("LOADED");
        assertThat(busy.getString("status")).isEqualTo("STATUS_SUCCESS (0x00000000)");
        assertThat(busy.getDuration().toMillis()).as("DriverEntry works its list this long").isGreaterThanOrEqualTo(6_000);
        RecordedEvent forgetful = loads.get(2);
        assertThat(forgetful.getString("state")).isEqualTo("UNLOADED");
        assertThat(forgetful.getString("status")).isEmpty();
        assertThat(forgetful.getString("bugCheck")).isEqualTo("0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION");
    }

    @Test
    void shouldRecordTheUnloadWithItsDriverUnload() {
        List<RecordedEvent> unloads = named("DriverUnload");
        assertThat(unloads).extracting(e -> e.getString("driver")).containsExactly("BusyListDriver");
        RecordedEvent busy = unloads.getFirst();
        assertThat(busy.getBoolean("unloadRoutine")).isTrue();
        assertThat(busy.getString("state")).isEqualTo("UNLOADED");
        assertThat(busy.getString("findings")).as("it gave back everything").isEmpty();
        assertThat(busy.getDuration()).isPositive();
    }

    @Test
    void shouldRecordTheBugCheckWithCodeParametersDriverAndPhase() {
        // the free of the list's header in DriverEntry, then the verifier's checks at the teardown that follows:
        // the undeleted list (0xC7) and the leaked header (0xC4/0x62)
        List<RecordedEvent> stops = named("BugCheck");
        assertThat(stops).extracting(e -> e.getString("code"), e -> e.getString("phase")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("0xC4", "DriverEntry"),
                org.assertj.core.groups.Tuple.tuple("0xC7", "DriverEntry faulted"),
                org.assertj.core.groups.Tuple.tuple("0xC4", "DriverEntry faulted"));
        assertThat(stops.get(2).getLong("parameter1")).as("leaked pool at unload").isEqualTo(0x62);
        RecordedEvent stop = stops.getFirst();
        assertThat(stop.getString("code")).isEqualTo("0xC4");
        assertThat(stop.getString("codeName")).isEqualTo("DRIVER_VERIFIER_DETECTED_VIOLATION");
        assertThat(stop.getLong("parameter1")).as("the verifier's subcode: freeing a live lookaside list").isEqualTo(0xCC);
        assertThat(stop.getLong("parameter2")).as("the list's address").isNotZero();
        assertThat(stop.getString("driver")).isEqualTo("Forgetful");
        assertThat(stop.getString("phase")).isEqualTo("DriverEntry");
        assertThat(stop.getString("detail")).isNotBlank();

        List<RecordedEvent> findings = named("VerifierFinding");
        assertThat(findings).as("each of the verified driver's bug checks").hasSize(3)
                .allSatisfy(f -> assertThat(f.getString("driver")).isEqualTo("Forgetful"));
        assertThat(findings.getFirst().getString("driver")).isEqualTo("Forgetful");
        assertThat(findings.getFirst().getString("code")).isEqualTo("0xC4");
        assertThat(findings.getFirst().getLong("parameter1")).isEqualTo(0xCC);
    }

    @Test
    void shouldRecordTheBalanceSetManagersDepthAdjustmentsOfTheBusyList() {
        List<RecordedEvent> adjustments = named("LookasideDepthAdjustment").stream()
                .filter(e -> e.getString("owner").equals("BusyListDriver")).toList();
        assertThat(adjustments).as("at least one scan of the non-paged lists while the list was worked").isNotEmpty();
        RecordedEvent first = adjustments.getFirst();
        assertThat(first.getString("tag")).isEqualTo(PoolTag.toString(BusyListDriver.TAG));
        assertThat(first.getString("list")).matches("[0-9A-F]{8}");
        assertThat(first.getString("implementation")).isNotBlank();
        assertThat(first.getInt("oldDepth")).isEqualTo(4);
        assertThat(first.getInt("newDepth")).as("most allocations missed: the Depth grows").isGreaterThan(4);
        assertThat(first.getLong("allocates")).isGreaterThanOrEqualTo(75);
        assertThat(first.getLong("misses")).isPositive();
        assertThat(first.getDouble("allocateHitRate")).isBetween(0.0, 0.95);
        assertThat(first.getDouble("freeHitRate")).isBetween(0.0, 1.0);
    }

    @Test
    void shouldRecordThePoolAllocationFailure() {
        List<RecordedEvent> failures = named("PoolAllocationFailure");
        assertThat(failures).hasSize(1);
        RecordedEvent f = failures.getFirst();
        assertThat(f.getLong("numberOfBytes")).isEqualTo(1L << 40);
        assertThat(f.getString("tag")).isEqualTo("Busy");
        assertThat(f.getString("poolType")).contains("NonPagedPool");
        assertThat(f.getBoolean("raised")).isFalse();
        assertThat(f.getStackTrace()).as("where the driver asked").isNotNull();
    }
}
