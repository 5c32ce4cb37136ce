package dev.ringzero.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The lines a process prints on its standard output, read as they come; a test waits for the line it expects
 * and is woken by each new line, not by a clock.
 */
final class ConsoleLines {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private ConsoleLines() {
    }

    /** Starts reading {@code process}'s standard output on a daemon thread. */
    static ConsoleLines of(Process process) {
        ConsoleLines console = new ConsoleLines();
        Thread.ofPlatform().daemon().name("console of " + process.pid()).start(() -> {
            try (BufferedReader in = process.inputReader(StandardCharsets.UTF_8)) {
                in.lines().forEach(console::add);
            } catch (IOException | UncheckedIOException e) {
                // the process is gone
            } finally {
                console.end();
            }
        });
        return console;
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    private synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Every line so far. */
    synchronized List<String> all() {
        return List.copyOf(lines);
    }

    /**
     * Returns the first line that matches, waiting up to 60 s for it; fails naming {@code what} and showing the
     * console when none comes (or the process ends without it).
     */
    synchronized String await(Predicate<String> line, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int looked = 0;
        while (true) {
            for (; looked < lines.size(); looked++) {
                if (line.test(lines.get(looked))) {
                    return lines.get(looked);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                throw new AssertionError("no line for " + what + (ended ? " before the process ended" : " within "
                        + WAIT.toSeconds() + " s") + "; the console:\n" + String.join("\n", lines));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
