package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringzero.distribution.corpus.DoubleFreeDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive host as a user meets it, in a real terminal: {@code bin/ringzero} in a tmux session, keys sent
 * with {@code send-keys}, the screen read with {@code capture-pane}. TAB completes a kd command's name, {@code
 * help kd:pool} shows its description and parameters, {@code pool} shows a live block's pool page (the RegMon
 * sample's image section), and a load's outcome and a bug check are each shown once. Needs tmux (skipped where
 * there is none).
 */
class KdTerminalIT {

    @TempDir
    Path tmp;

    private final String session = "22-kd-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
    private TmuxSession terminal;

    @AfterEach
    void killSession() throws Exception {
        if (terminal != null) {
            terminal.close();
        }
    }

    @Test
    void theShellShouldCompleteKdCommandsShowTheirHelpAndPoolALiveBlock() throws Exception {
        assumeTrue(TmuxSession.available(), "tmux is not installed");
        // RegMon works for two seconds in its DriverEntry (ten by default), then stays loaded
        String command = String.format("env JAVA_HOME=%s RINGZERO_DATA=%s RINGZERO_LOG=%s RINGZERO_OPTS=-Dringzero.regmon.seconds=2 %s",
                System.getProperty("java.home"),
                tmp.resolve("data"), tmp.resolve("log"), Distribution.home().resolve("bin/ringzero"));
        terminal = TmuxSession.start(session, 200, 50, 300, command);
        terminal.awaitScreen(s -> s.contains("Ringzero host started"), "the host's start");

        terminal.keys("load regmon-driver", "Enter");
        String loaded = terminal.awaitScreen(s -> s.contains("RegMon: DriverEntry returned STATUS_SUCCESS"), "RegMon loaded");

        terminal.keys("poolf", "Tab");
        terminal.awaitScreen(s -> lastLine(s).contains("poolfind"), "TAB completing poolf to poolfind");
        terminal.keys("C-u");
        terminal.keys("kd:drv", "Tab");
        terminal.awaitScreen(s -> lastLine(s).contains("kd:drvobj"), "TAB completing kd:drv to kd:drvobj");
        terminal.keys("C-u");

        terminal.keys("help kd:pool", "Enter");
        terminal.awaitScreen(s -> s.contains("pool - !pool: the pool page holding ADDRESS") && s.contains("scope: kd")
                && s.contains("ADDRESS [FLAGS]  ADDRESS hex"), "help kd:pool");

        terminal.keys("drvobj RegMon", "Enter");
        String drvobj = terminal.awaitScreen(s -> IMAGE.matcher(s).find(), "RegMon's driver object");
        Matcher m = IMAGE.matcher(drvobj);
        assertThat(m.find()).isTrue();
        String image = m.group(1);   // the image section: a live block of non-paged pool

        terminal.keys("pool " + image, "Enter");
        String pool = terminal.awaitScreen(s -> s.contains("Pool page " + image + " region is Nonpaged pool") && s.contains("Pooltag "),
                "pool on RegMon's image section");
        assertThat(pool).containsPattern("\\*[0-9a-f]{8} size: +[0-9a-f]+ previous size: +[0-9a-f]+  \\(Allocated\\) \\*MmLd")
                .contains("Pooltag MmLd : allocated by System");

        // a bug check in DriverEntry: shown once, with its crash report; the load says only that the driver went
        Path doubleFree = TestBundles.driverBundle(tmp.resolve("build"), DoubleFreeDriver.class);
        terminal.keys("load " + doubleFree, "Enter");
        String stop = terminal.awaitScreen(s -> s.contains("DoubleFreeDriver: driver unloaded"), "the double free's bug check");
        assertThat(occurrences(stop, "*** STOP: BAD_POOL_CALLER (0xC2)")).as("the bug check, once").isEqualTo(1);
        assertThat(stop).contains("(crash report: ");
        assertThat(occurrences(loaded, "RegMon: DriverEntry returned STATUS_SUCCESS")).as("a load's outcome, once")
                .isEqualTo(1);

        terminal.keys("stop 0", "Enter");
    }

    /** {@code DriverStart:   80000010}: where a driver object's image section is. */
    private static final Pattern IMAGE = Pattern.compile("DriverStart: +([0-9a-f]{8})");

    private static int occurrences(String screen, String text) {
        int n = 0;
        for (int i = screen.indexOf(text); i >= 0; i = screen.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    private static String lastLine(String screen) {
        List<String> lines = screen.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }
}
