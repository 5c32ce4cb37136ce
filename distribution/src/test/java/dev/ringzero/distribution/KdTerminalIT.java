package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * help kd:pool} shows its description and parameters, and {@code pool} shows a live block's pool page (the
 * RegMon sample's lookaside list header). Needs tmux (skipped where there is none).
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

        keys("load regmon-driver", "Enter");
        screenUntil(s -> s.contains("RegMon: DriverEntry returned STATUS_SUCCESS"), "RegMon loaded");

        keys("poolf", "Tab");
        screenUntil(s -> lastLine(s).contains("poolfind"), "TAB completing poolf to poolfind");
        keys("C-u");

        keys("help kd:pool", "Enter");
        screenUntil(s -> s.contains("pool - !pool: the pool page holding ADDRESS") && s.contains("scope: kd"),
                "help kd:pool");

        keys("lookaside", "Enter");
        String lists = screenUntil(s -> HEADER.matcher(s).find(), "RegMon's lookaside list");
        Matcher m = HEADER.matcher(lists);
        assertThat(m.find()).isTrue();
        String header = m.group(1);

        keys("pool " + header, "Enter");
        String pool = screenUntil(s -> s.contains("Pool page " + header + " region is ") && s.contains("Pooltag "),
                "pool on the list's header");
        assertThat(pool).containsPattern("\\*[0-9a-f]{8} size: +[0-9a-f]+ previous size: +[0-9a-f]+  \\(Allocated\\) \\*");

        keys("stop 0", "Enter");
    }

    /** {@code Lookaside "" @ c0010010 "Regm"}: the address of RegMon's list. */
    private static final Pattern HEADER = Pattern.compile("Lookaside \"[^\"]*\" @ ([0-9a-f]{8}) \"Regm\"");

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
