package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringzero.distribution.watch.TickingDriver;
import dev.ringzero.host.felix.DriverLoad;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostSettings;
import java.nio.file.Path;
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
        assumeTrue(TmuxSession.available(), "tmux is not installed");
        Transcript transcript = new Transcript();
        try (FelixHost host = FelixHost.start(Distribution.settings(tmp, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false), new Events())) {
            DriverLoad ticking = host.load(TestBundles.driverBundle(tmp.resolve("ticking"), TickingDriver.class));
            assertThat(ticking.outcome().loaded()).as(ticking.outcome().message()).isTrue();
            String command = "RINGZERO_DATA='" + tmp.resolve("data") + "' '" + Distribution.home().resolve("bin/ringzero")
                    + "' poolmon; echo poolmon exited $?; sleep 30";
            try (TmuxSession terminal = TmuxSession.start(SESSION, 150, 40, 0, command)) {
                String first = terminal.awaitScreen(s -> TICK_ROW.matcher(s).find(), "a Tick row");
                long allocs1 = tickAllocs(first);
                String later = terminal.awaitScreen(s -> TICK_ROW.matcher(s).find() && tickAllocs(s) > allocs1,
                        "Tick's Allocs above " + allocs1);
                assertThat(first).contains("Ringzero PoolMon: both pools, sorted by Tag", "Tag  Type");
                assertThat(tickAllocs(later)).isGreaterThan(allocs1);

                terminal.keys("b");
                terminal.awaitScreen(s -> s.contains("sorted by Bytes"), "the display sorted by Bytes");

                terminal.keys("q");
                String end = terminal.awaitScreen(s -> s.contains("poolmon exited"), "poolmon to quit at q");
                assertThat(end).contains("poolmon exited 0");
            } finally {
                host.unload(ticking);
            }
        }
    }

    private static long tickAllocs(String screen) {
        Matcher m = TICK_ROW.matcher(screen);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
