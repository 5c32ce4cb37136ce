package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringzero.distribution.corpus.DoubleFreeDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final String session = "22-kd-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;

    @AfterEach
    void killSession() throws Exception {
        tmux("kill-session", "-t", session);
    }

    @Test
    void theShellShouldCompleteKdCommandsShowTheirHelpAndPoolALiveBlock() throws Exception {
        assumeTrue(tmux("-V") == 0, "tmux is not installed");
        String command = String.format("env JAVA_HOME=%s RINGZERO_DATA=%s RINGZERO_LOG=%s %s", System.getProperty("java.home"),
                tmp.resolve("data"), tmp.resolve("log"), Distribution.home().resolve("bin/ringzero"));
        assertThat(tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", command)).isZero();
        screenUntil(s -> s.contains("Ringzero host started"), "the host's start");

        keys("load regmon-driver", "Enter");   // RegMon works for 10 s in its DriverEntry, then stays loaded
        String loaded = screenUntil(s -> s.contains("RegMon: DriverEntry returned STATUS_SUCCESS"), "RegMon loaded");

        keys("poolf", "Tab");
        screenUntil(s -> lastLine(s).contains("poolfind"), "TAB completing poolf to poolfind");
        keys("C-u");
        keys("kd:drv", "Tab");
        screenUntil(s -> lastLine(s).contains("kd:drvobj"), "TAB completing kd:drv to kd:drvobj");
        keys("C-u");

        keys("help kd:pool", "Enter");
        screenUntil(s -> s.contains("pool - !pool: the pool page holding ADDRESS") && s.contains("scope: kd")
                && s.contains("ADDRESS [FLAGS]  ADDRESS hex"), "help kd:pool");

        keys("drvobj RegMon", "Enter");
        String drvobj = screenUntil(s -> IMAGE.matcher(s).find(), "RegMon's driver object");
        Matcher m = IMAGE.matcher(drvobj);
        assertThat(m.find()).isTrue();
        String image = m.group(1);   // the image section: a live block of non-paged pool

        keys("pool " + image, "Enter");
        String pool = screenUntil(s -> s.contains("Pool page " + image + " region is Nonpaged pool") && s.contains("Pooltag "),
                "pool on RegMon's image section");
        assertThat(pool).containsPattern("\\*[0-9a-f]{8} size: +[0-9a-f]+ previous size: +[0-9a-f]+  \\(Allocated\\) \\*MmLd")
                .contains("Pooltag MmLd : allocated by System");

        // a bug check in DriverEntry: shown once, with its crash report; the load says only that the driver went
        Path doubleFree = TestBundles.driverBundle(tmp.resolve("build"), DoubleFreeDriver.class);
        keys("load " + doubleFree, "Enter");
        String stop = screenUntil(s -> s.contains("DoubleFreeDriver: driver unloaded"), "the double free's bug check");
        assertThat(occurrences(stop, "*** STOP: BAD_POOL_CALLER (0xC2)")).as("the bug check, once").isEqualTo(1);
        assertThat(stop).contains("(crash report: ");
        assertThat(occurrences(loaded, "RegMon: DriverEntry returned STATUS_SUCCESS")).as("a load's outcome, once")
                .isEqualTo(1);

        keys("stop 0", "Enter");
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

    private void keys(String... keys) throws Exception {
        String[] args = new String[3 + keys.length];
        args[0] = "send-keys";
        args[1] = "-t";
        args[2] = session;
        System.arraycopy(keys, 0, args, 3, keys.length);
        assertThat(tmux(args)).isZero();
    }

    private String screenUntil(Predicate<String> done, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture();
            if (done.test(screen)) {
                return screen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " on the screen within " + WAIT.toSeconds() + " s:\n" + screen);
    }

    private static String lastLine(String screen) {
        List<String> lines = screen.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }

    private String capture() throws IOException, InterruptedException {
        Path out = tmp.resolve("screen.txt");
        Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-J", "-S", "-300", "-t", session)
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
        p.waitFor(10, TimeUnit.SECONDS);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static int tmux(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "tmux";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException noTmux) {
            return -1;
        }
    }
}
