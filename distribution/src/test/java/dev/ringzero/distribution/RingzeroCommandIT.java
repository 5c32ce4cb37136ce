package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.distribution.drivers.FaultingDriver;
import dev.ringzero.distribution.drivers.GoodDriver;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ringzero} as a user runs it: a plain shell where {@code java} on PATH is an older JDK (17 on
 * our machines) and JAVA_HOME is unset, so the launcher must find a JDK 25 by itself.
 */
class RingzeroCommandIT {

    private static final String STATUS_LINE =
            "LookasideList: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded";

    @TempDir
    static Path tmp;

    private static Path home;

    record Result(int exitCode, List<String> stdout, List<String> stderr) {
    }

    @BeforeAll
    static void findDistribution() {
        home = Distribution.home();
    }

    /** Runs {@code bin/ringzero args} with JAVA_HOME unset and an older JDK's java first on PATH. */
    private static Result ringzero(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/ringzero").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        env.remove("RINGZERO_JAVA_HOME");
        env.remove("RINGZERO_OPTS");
        SampleRun.olderJdk().ifPresent(jdk -> env.put("PATH", jdk.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin")));
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ringzero " + String.join(" ", args) + " did not finish within 180 s; stdout so far:\n"
                    + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    @Test
    void runShouldPrintTheDriversOutputItsStatusLineAndTheReport() throws Exception {
        Result r = ringzero("run");

        assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isZero();
        assertThat(r.stderr()).as("nothing on stderr: no warnings, no stack traces").isEmpty();
        assertThat(r.stdout()).startsWith("", "LookasideList: Entering DriverEntry");
        assertThat(r.stdout()).containsSubsequence(
                "LookasideList: Lookaside list initialized",
                "LookasideList: + Entry #1 added",
                "LookasideList: - Entry #10 removed",
                "LookasideList: Free the rest to lookaside list",
                "LookasideList: Doubly linked list is empty",
                "LookasideList: Lookaside list deleted",
                "--- ringzero run: report ---",
                "Drivers:",
                STATUS_LINE,
                "Pool activity (per tag and pool type):",
                " Tag  Type      Allocs      Frees  Reclaimed       Diff      Bytes  Per Alloc",
                "Lookaside lists (!lookaside, each just before its delete):");
        assertThat(r.stdout()).anyMatch(l -> l.matches(" Wasm Paged +(\\d+) +\\1 +0 +0 +0 +0"));
        assertThat(r.stdout()).anyMatch(l -> l.startsWith("Lookaside \"\" @ ") && l.endsWith(" \"Wasm\""));
        assertThat(r.stdout()).contains("    Type           =       0001  PagedPool");
        assertThat(r.stdout()).doesNotContain("Bug checks:", "Host faults:");

        Pattern logLine = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[LookasideList] LookasideList: Entering DriverEntry");
        assertThat(Files.readAllLines(home.resolve("log/dbgprint.log"))).anyMatch(l -> logLine.matcher(l).matches());
    }

    @Test
    void aBugCheckShouldBeReportedTheHostShouldGoOnAndTheExitCodeBeThree() throws Exception {
        Path faulting = TestBundles.driverBundle(tmp.resolve("faulting"), FaultingDriver.class);
        Path good = TestBundles.driverBundle(tmp.resolve("good"), GoodDriver.class);

        Result r = ringzero("run", faulting.toString(), good.toString());

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).containsSubsequence(
                "FaultingDriver: Entering DriverEntry",
                "GoodDriver: DriverUnload called",
                "--- ringzero run: report ---",
                "Drivers:");
        assertThat(r.stdout()).anyMatch(l -> l.startsWith("GoodDriver: block at "));
        assertThat(r.stdout()).anyMatch(l -> l.startsWith("*** STOP: SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x7E)")
                && l.endsWith("[driver FaultingDriver, during DriverEntry]; driver unloaded"));
        assertThat(r.stdout()).containsSubsequence(
                "GoodDriver: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded",
                "GoodDriver: DriverUnload returned; driver unloaded",
                "Bug checks:");
        assertThat(r.stdout()).anyMatch(l -> l.startsWith("    crash report: " + home.resolve("log/bugcheck-")));
    }

    @Test
    void haltOnBugCheckShouldStopAtTheFirstBugCheck() throws Exception {
        Path faulting = TestBundles.driverBundle(tmp.resolve("halt-faulting"), FaultingDriver.class);
        Path good = TestBundles.driverBundle(tmp.resolve("halt-good"), GoodDriver.class);

        Result r = ringzero("run", "--halt-on-bugcheck", faulting.toString(), good.toString());

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).contains("FaultingDriver: Entering DriverEntry").noneMatch(l -> l.startsWith("GoodDriver"));
        assertThat(r.stdout()).last().isEqualTo("The host halted at the first bug check (--halt-on-bugcheck); 1 of 2 driver(s) not loaded");
    }

    @Test
    void anUnknownOptionShouldBeOneLineOnStderrAndExitTwo() throws Exception {
        Result r = ringzero("run", "--bogus");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).containsExactly("ringzero: unknown option '--bogus' (see ringzero --help)");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void aJarThatIsNoDriverBundleShouldBeOneLineAndExitTwo() throws Exception {
        Path library = TestBundles.plainBundle(tmp.resolve("library"), "test.library");
        Result r = ringzero("run", library.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).containsExactly("ringzero: not a driver bundle: " + library
                + " (its manifest has no Ringzero-Driver header)");
    }

    @Test
    void aMissingOrCorruptJarShouldBeOneLineAndExitTwo() throws Exception {
        Result missing = ringzero("run", "no-such-driver.jar");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).containsExactly("ringzero: no such file: no-such-driver.jar");

        Path corrupt = TestBundles.corruptJar(tmp.resolve("corrupt"));
        Result bad = ringzero("run", corrupt.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).singleElement().asString().startsWith("ringzero: corrupt jar: " + corrupt + " (");
    }

    @Test
    void theHostShouldStartWithoutATerminalAndStopCleanlyOnSigterm() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/ringzero").toString()).directory(tmp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(tmp.resolve("host-stderr.txt").toFile());
        pb.environment().remove("JAVA_HOME");
        Process host = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = host.inputReader(StandardCharsets.UTF_8)) {
                in.lines().forEach(lines::add);
            } catch (IOException | UncheckedIOException e) {
                // the process is gone
            }
        });
        try {
            String first = lines.poll(120, TimeUnit.SECONDS);
            assertThat(first).startsWith("Ringzero host started; driver bundles dropped into " + home.resolve("drivers"))
                    .endsWith("no shell (--nointeractive): stop the host with Ctrl-C or SIGTERM");
        } finally {
            host.destroy();   // SIGTERM: the shutdown hook unloads the drivers and stops the framework
        }
        assertThat(host.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(host.exitValue()).isEqualTo(143);
        assertThat(Files.readAllLines(tmp.resolve("host-stderr.txt"))).as("no warnings from Felix, Gogo or JLine").isEmpty();
        assertThat(home.resolve("data/felix-" + host.pid())).doesNotExist();
    }

    @Test
    void helpShouldExitZero() throws Exception {
        Result r = ringzero("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).first().asString().startsWith("Usage: ringzero [OPTIONS]");
    }
}
