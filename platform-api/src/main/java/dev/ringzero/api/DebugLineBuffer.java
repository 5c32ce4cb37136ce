package dev.ringzero.api;

import java.util.function.Consumer;

/**
 * Buffers {@code DbgPrint} text until a {@code \n} completes the line, then hands the line (without the
 * newline) to a consumer — the way DebugView shows a driver's output line by line. A driver that prints
 * {@code "a"} and then {@code "b\n"} produces one line, {@code "ab"}; a leading {@code "\n"} produces an
 * empty line. Thread-safe: lines from several threads of one driver are not interleaved mid-line.
 */
public final class DebugLineBuffer implements DebugOutput {

    private final Consumer<String> lines;
    private final StringBuilder partial = new StringBuilder();

    public DebugLineBuffer(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public synchronized void write(String text) {
        int from = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            partial.append(text, from, nl);
            String line = partial.toString();
            partial.setLength(0);
            lines.accept(line);
            from = nl + 1;
        }
        partial.append(text, from, text.length());
    }

    /** Emits a pending partial line, if any (the host does this when the driver's call returns). */
    public synchronized void flush() {
        if (!partial.isEmpty()) {
            String line = partial.toString();
            partial.setLength(0);
            lines.accept(line);
        }
    }
}
