package dev.ringzero.host;

import dev.ringzero.host.core.BugCheckReport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The bug checks the host's console has shown, so each is shown once. The console prints a bug check when it
 * happens (with its crash report); the load or unload it ended then reports its outcome, whose message and notes
 * lead with the same headline ({@code *** STOP: ...; driver unloaded}). Those lines are shortened to what they
 * add ({@code NAME: driver unloaded}).
 */
final class ShownBugChecks {

    /** Enough for the bug checks of one load or unload; older ones cannot come back. */
    private static final int REMEMBERED = 64;

    private final Deque<String> headlines = new ArrayDeque<>();

    /** Records a bug check the console shows now; returns its line. */
    synchronized String show(BugCheckReport report) {
        headlines.addFirst(report.headline());
        if (headlines.size() > REMEMBERED) {
            headlines.removeLast();
        }
        return report.headline();
    }

    /**
     * {@code line} without a headline already shown: {@code null} when it is nothing more, {@code DRIVER: rest}
     * when something follows it ({@code ; driver unloaded}), else {@code line} itself.
     */
    synchronized String withoutShown(String driver, String line) {
        for (String h : headlines) {
            if (line.startsWith(h)) {
                String rest = line.substring(h.length()).replaceFirst("^[;,]?\\s*", "");
                return rest.isEmpty() ? null : driver + ": " + rest;
            }
        }
        return line;
    }

    /** {@link #withoutShown} over notes, the ones that were only a headline dropped. */
    List<String> withoutShown(String driver, List<String> notes) {
        return notes.stream().map(n -> withoutShown(driver, n)).filter(Objects::nonNull).toList();
    }
}
