package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringzero.distribution.watch.TickingDriver;
import dev.ringzero.host.felix.DriverLoad;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringzero poolmon} in a terminal (a detached tmux session, read with {@code capture-pane}), attached to a
 * host running in this JVM with a driver that allocates: its tag's Allocs climbs from one screen to the next, a key
 * re-sorts, {@code q} quits.
 */
class PoolMonTerminalIT {

    /** Unique per run: issue 24's prefix, and the time. */
    private static final String SESSION = "24-poolmon-" + System.nanoTime();
    private static final Pattern TICK_ROW = Pattern.compile("^ Tick Nonp\\s+(\\d+) \\(\\s*-?\\d+\\)", Pattern.MULTILINE);

    @TempDir
    static Path tmp;

    @Test
    void shouldShowARunningDriversTagCountingUpSortByBytesAndQuit() throws Exception {
        assumeTrue(run(List.of("tmux", "-V")).exitCode == 0, "tmux is not installed");
        Transcript transcript = new Transcript();
        try (FelixHost host = FelixHost.start(Distribution.settings(tmp, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false), new Events())) {
            DriverLoad ticking = host.load(TestBundles.driverBundle(tmp.resolve("ticking"), TickingDriver.class));
            assertThat(ticking.outcome().loaded()).as(ticking.outcome().message()).isTrue();
            String command = "RINGZERO_DATA='" + tmp.resolve("data") + "' '" + Distribution.home().resolve("bin/ringzero")
                    + "' poolmon; echo poolmon exited $?; sleep 30";
            assertThat(run(List.of("tmux", "new-session", "-d", "-s", SESSION, "-x", "150", "-y", "40", command)).exitCode)
                    .isZero();
            try {
                String first = awaitScreen(s -> TICK_ROW.matcher(s).find(), "a Tick row");
                long allocs1 = tickAllocs(first);
                String later = awaitScreen(s -> TICK_ROW.matcher(s).find() && tickAllocs(s) > allocs1,
                        "Tick's Allocs above " + allocs1);
                assertThat(first).contains("Ringzero PoolMon: both pools, sorted by Tag", "Tag  Type");
                assertThat(tickAllocs(later)).isGreaterThan(allocs1);

                run(List.of("tmux", "send-keys", "-t", SESSION, "b"));
                awaitScreen(s -> s.contains("sorted by Bytes"), "the display sorted by Bytes");

                run(List.of("tmux", "send-keys", "-t", SESSION, "q"));
                String end = awaitScreen(s -> s.contains("poolmon exited"), "poolmon to quit at q");
                assertThat(end).contains("poolmon exited 0");
            } finally {
                run(List.of("tmux", "kill-session", "-t", SESSION));
                host.unload(ticking);
            }
        }
    }

    private static long tickAllocs(String screen) {
        Matcher m = TICK_ROW.matcher(screen);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private interface ScreenCheck {
        boolean test(String screen);
    }

    /** The pane's screen once {@code check} holds; 60 s at most (the client's JVM starts on a loaded machine). */
    private static String awaitScreen(ScreenCheck check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen = "";
        while (System.nanoTime() - deadline < 0) {
            screen = run(List.of("tmux", "capture-pane", "-p", "-t", SESSION)).output;
            if (check.test(screen)) {
                return screen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited 60 s for " + what + "; the screen:\n" + screen);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, output);
        }
        return new Result(p.exitValue(), output);
    }
}
