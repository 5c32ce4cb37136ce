package dev.ringzero.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for a test: a detached tmux session running one command, keys sent with {@code send-keys}, the
 * screen read with {@code capture-pane}. A control-mode client ({@code tmux -C}, read-only, ignoring its size) is
 * attached to the session and reports every output of the pane, so a test waiting for a screen is woken by the
 * terminal's output, never by a clock.
 */
final class TmuxSession implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String name;
    private final int history;
    private final Process control;
    private long notifications;
    private boolean controlEnded;

    private TmuxSession(String name, int history) throws IOException {
        this.name = name;
        this.history = history;
        this.control = new ProcessBuilder("tmux", "-C", "attach-session", "-r", "-f", "ignore-size", "-t", name)
                .redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().name("tmux control of " + name).start(this::readNotifications);
    }

    /** Whether tmux is installed. */
    static boolean available() throws IOException, InterruptedException {
        return tmux("-V") == 0;
    }

    /**
     * Starts {@code command} in a new detached session of {@code columns} x {@code rows}; the screens read include
     * {@code history} lines scrolled off above the visible ones (0: the visible screen only).
     */
    static TmuxSession start(String name, int columns, int rows, int history, String command)
            throws IOException, InterruptedException {
        int status = tmux("new-session", "-d", "-s", name, "-x", Integer.toString(columns), "-y", Integer.toString(rows), command);
        if (status != 0) {
            throw new AssertionError("tmux new-session " + name + " exited " + status);
        }
        return new TmuxSession(name, history);
    }

    /** Sends keys as {@code tmux send-keys} names them ("Enter", "Tab", "C-u", or text). */
    void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", name));
        args.addAll(List.of(keys));
        int status = tmux(args.toArray(String[]::new));
        if (status != 0) {
            throw new AssertionError("tmux send-keys " + String.join(" ", keys) + " exited " + status);
        }
    }

    /** The screen now (wrapped lines joined), with the history asked for at the start. */
    String screen() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "capture-pane", "-p", "-J", "-t", name));
        if (history > 0) {
            command.addAll(List.of("-S", "-" + history));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux capture-pane did not end within 10 s");
        }
        return screen;
    }

    /**
     * The screen once {@code done} holds for it, looked at again after each output of the pane; fails naming
     * {@code what} with the last screen when 60 s pass without it (the command's JVM may start on a loaded machine).
     */
    String awaitScreen(Predicate<String> done, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long seen = notifications();   // before the capture: an output after it wakes the wait below
            String screen = screen();
            if (done.test(screen)) {
                return screen;
            }
            if (!awaitNotificationAfter(seen, deadline)) {
                throw new AssertionError("no " + what + " on the screen within " + WAIT.toSeconds() + " s"
                        + (controlEnded ? " (tmux's control client ended)" : "") + ":\n" + screen);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tmux("kill-session", "-t", name);
        control.destroy();
    }

    private void readNotifications() {
        try (BufferedReader in = control.inputReader(StandardCharsets.UTF_8)) {
            in.lines().forEach(line -> notified());
        } catch (IOException | UncheckedIOException e) {
            // the client is gone
        } finally {
            ended();
        }
    }

    private synchronized void notified() {
        notifications++;
        notifyAll();
    }

    private synchronized void ended() {
        controlEnded = true;
        notifyAll();
    }

    private synchronized long notifications() {
        return notifications;
    }

    /** Waits for a notification after the {@code seen}-th; false at the deadline or when the client has ended. */
    private synchronized boolean awaitNotificationAfter(long seen, long deadline) throws InterruptedException {
        while (notifications == seen && !controlEnded) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return notifications != seen;
    }

    private static int tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
