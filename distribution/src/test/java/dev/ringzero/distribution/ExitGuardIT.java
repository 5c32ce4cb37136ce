package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Driver;
import dev.ringzero.distribution.drivers.GoodDriver;
import dev.ringzero.distribution.exits.ExitDriver;
import dev.ringzero.distribution.exits.HaltDriver;
import dev.ringzero.distribution.exits.MethodHandleExitDriver;
import dev.ringzero.distribution.exits.MethodHandleHaltDriver;
import dev.ringzero.distribution.exits.ReflectiveExitDriver;
import dev.ringzero.distribution.exits.ReflectiveHaltDriver;
import dev.ringzero.distribution.exits.ThreadExitDriver;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.ExitGuard;
import dev.ringzero.host.core.UnloadReport;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostSettings;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The exit guard end to end: drivers that call {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}
 * (directly, through reflection, through a {@code MethodHandle}, on a system thread, on a plain thread) through
 * {@code bin/ringzero run} (which starts the JVM with the agent), all in one run before RegMon; and hot-deployed
 * into a long-running host in this JVM (failsafe starts it with the same agent).
 */
class ExitGuardIT {

    @TempDir
    static Path tmp;

    private static List<String> stdout;
    private static String output;
    private static int exitCode;

    /** Each driver, what it asked for: {@code Runtime.exit} or {@code Runtime.halt}, and its status. */
    private record Exit(Class<? extends Driver> driver, boolean halt, int status) {
        String name() {
            return driver.getSimpleName();
        }
    }

    private static final List<Exit> EXITS = List.of(new Exit(ExitDriver.class, false, 0), new Exit(HaltDriver.class, true, 1),
            new Exit(ReflectiveExitDriver.class, false, 2), new Exit(ReflectiveHaltDriver.class, true, 5),
            new Exit(MethodHandleExitDriver.class, false, 6), new Exit(MethodHandleHaltDriver.class, true, 7),
            new Exit(ThreadExitDriver.class, false, 4));

    @BeforeAll
    static void runEveryExitThenRegMon() throws Exception {
        Path home = Distribution.home();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/ringzero").toString(), "run"));
        for (Exit e : EXITS) {
            command.add(TestBundles.driverBundle(tmp.resolve("jars"), e.driver()).toString());
        }
        command.add(SampleRun.sample("regmon-driver").toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("RINGZERO_OPTS", "-Dringzero.regmon.seconds=3");   // three seconds of RegMon's ten are enough
        Path out = tmp.resolve("stdout.txt");
        pb.redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ringzero run did not finish within 180 s; output so far:\n" + Files.readString(out));
        }
        exitCode = p.exitValue();
        stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
        output = String.join("\n", stdout);
    }

    @Test
    void eachExitShouldBeOneBugCheck0xF4ChargedToItsDriverWithACrashReport() throws Exception {
        List<String> stops = bugCheckSection();
        for (Exit e : EXITS) {
            String routine = e.halt() ? "Runtime.halt" : "Runtime.exit";
            assertThat(stops).as(output).filteredOn(l -> l.contains("[driver " + e.name() + ",")).singleElement().asString()
                    .startsWith(String.format("*** STOP: CRITICAL_OBJECT_TERMINATION (0xF4) (0x00000003, 0x%08X, 0x%08X, 0x00000000): "
                            + "%s called %s(%d) at ", e.status(), e.halt() ? 1 : 0, e.name(), routine, e.status()))
                    .endsWith("[driver " + e.name() + ", during " + e.name() + ": " + routine + "]");
            String crash = Files.readString(crashReport(e.name()));
            assertThat(crash).as(crash).contains("Driver:  " + e.name(), "Stop:    CRITICAL_OBJECT_TERMINATION (0xF4)",
                    "Arg1: 0x00000003, object type (3: process, 6: thread)", String.format("Arg2: 0x%08X, exit status", e.status()),
                    "dev.ringzero.distribution.exits." + e.name());
        }
        assertThat(output).as(output).doesNotContain("still running after")
                .as("the plain thread's refusal is its driver's bug check, not an uncaught exception on stderr")
                .doesNotContain("Exception in thread");
    }

    @Test
    void eachExitingDriverShouldBeUnloadedAndItsMemoryGivenBack() {
        assertThat(output).as(output).contains("ReflectiveHaltDriver: DriverUnload called", "MethodHandleHaltDriver: DriverUnload called",
                        "ThreadExitDriver: DriverUnload called");
        assertThat(stdout).as(output).as("the host reclaimed the block at the unload")
                .anyMatch(l -> l.matches(" Exit Paged +1 +0 +1 +0 +0 +0"));
    }

    @Test
    void regMonShouldThenRunToItsEndAndTheRunExit3WithoutAJvmCrash() throws Exception {
        assertThat(output).as(output).contains(
                "RegMon: Thread #1 logged 198000 registry calls (0 allocation failures)",
                "RegMon: Thread #2 logged 198000 registry calls (0 allocation failures)",
                "RegMon: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded",
                "RegMon: DriverUnload returned; driver unloaded");
        assertThat(exitCode).as(output).isEqualTo(3);
        assertThat(output).as("the launcher started the agent, and it rewrote Runtime").doesNotContain("exit guard off");
        try (Stream<Path> files = Stream.concat(Files.list(tmp), Files.list(Distribution.home()))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("JVM crash files").noneMatch(f -> f.startsWith("hs_err"));
        }
    }

    @Test
    void anExitingDriverHotDeployedShouldLeaveTheHostAliveAndServing() throws Exception {
        assertThat(ExitGuard.active()).as("this JVM runs with the exit guard's agent (failsafe's argLine)").isTrue();
        Path hot = tmp.resolve("hot");
        Transcript transcript = new Transcript();
        Events events = new Events();
        try (FelixHost host = FelixHost.start(Distribution.settings(hot, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false).withFrameworkProperty("felix.fileinstall.poll", "100"), events);
             GogoSession gogo = new GogoSession(host.framework().getBundleContext())) {
            BlockingQueue<UnloadReport> unloads = new LinkedBlockingQueue<>();
            host.ioManager().onUnload(unloads::add);
            Files.copy(TestBundles.driverBundle(hot.resolve("build"), HaltDriver.class), hot.resolve("drivers/halt.jar"));
            Files.copy(TestBundles.driverBundle(hot.resolve("build"), ThreadExitDriver.class), hot.resolve("drivers/thread-exit.jar"));
            List<String> unloaded = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Events.next(events.stops, "two bug checks");
                unloaded.add(Events.next(unloads, "both drivers' unloads").driver());
            }
            assertThat(unloaded).containsExactlyInAnyOrder("HaltDriver", "ThreadExitDriver");
            assertThat(host.ioManager().drivers()).isEmpty();
            assertThat(events.bugChecks).extracting(s -> s.report().owner().name() + " " + s.report().bugCheck().code().code())
                    .containsExactlyInAnyOrder("HaltDriver " + 0xF4, "ThreadExitDriver " + 0xF4);

            assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);
            Files.copy(TestBundles.driverBundle(hot.resolve("build"), GoodDriver.class), hot.resolve("drivers/good.jar"));
            Events.Loaded loaded = Events.next(events.loaded, "GoodDriver's load after them");
            while (!loaded.outcome().name().equals("GoodDriver")) {
                loaded = Events.next(events.loaded, "GoodDriver's load after them");
            }
            assertThat(loaded.outcome().state()).isEqualTo(DriverState.LOADED);
            assertThat(gogo.execute("kd:lm")).containsPattern("GoodDriver +loaded").doesNotContain("HaltDriver", "ThreadExitDriver");
            assertThat(gogo.execute("kd:bugchecks")).contains("CRITICAL_OBJECT_TERMINATION (0xF4)");
        }
    }

    /** The report's "Bug checks:" lines (the headlines; a DriverEntry's also appears in its status line above). */
    private static List<String> bugCheckSection() {
        int start = stdout.indexOf("Bug checks:");
        assertThat(start).as(output).isNotNegative();
        return stdout.subList(start + 1, stdout.size()).stream().filter(l -> l.startsWith("*** STOP: ")).toList();
    }

    private static Path crashReport(String driver) {
        Pattern p = Pattern.compile("\\s+crash report: (.*bugcheck-[^ ]*-" + driver + "-0x[0-9A-F]+\\.txt)");
        for (String line : stdout) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return Path.of(m.group(1));
            }
        }
        throw new AssertionError("no crash report for " + driver + " in:\n" + output);
    }
}
