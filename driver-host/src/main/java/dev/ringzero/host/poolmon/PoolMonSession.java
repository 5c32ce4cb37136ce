package dev.ringzero.host.poolmon;

import dev.ringzero.api.memory.PoolTagUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A live {@link PoolMon}: takes a snapshot every {@code refresh} (one second, as poolmon.exe), redraws the screen
 * (ANSI: cursor home, clear), and reads keys between snapshots. It ends at {@code Q} or at the end of the keys'
 * input. A key that changes the display redraws it at once, without a new snapshot.
 *
 * <p>Keys are read as they become {@linkplain InputStream#available() available}: in a terminal set to
 * character mode ({@code ringzero poolmon} does that) each key acts at once; in a line-mode console (the Gogo
 * shell) a key acts when Enter follows it.
 */
public final class PoolMonSession {

    /** ANSI: cursor to the top left, clear the screen. */
    static final String CLEAR = "\033[H\033[2J";
    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

    /** Where the snapshots come from; may throw when the source is gone (a host that stopped). */
    @FunctionalInterface
    public interface Source {
        List<PoolTagUsage> snapshot() throws IOException;
    }

    private PoolMonSession() {
    }

    /**
     * Runs until {@code Q} or the end of {@code keys}.
     *
     * @throws IOException when the source fails (the caller says so in one line)
     */
    public static void run(Source source, InputStream keys, PrintStream out, Duration refresh) throws IOException {
        PoolMon display = new PoolMon();
        while (true) {
            display.update(source.snapshot());
            draw(display, out);
            long next = System.nanoTime() + refresh.toNanos();
            while (System.nanoTime() - next < 0) {
                int pending = keys.available();
                if (pending > 0) {
                    int c = keys.read();
                    if (c < 0) {
                        return;
                    }
                    switch (display.key(c)) {
                        case QUIT -> {
                            return;
                        }
                        case CHANGED -> draw(display, out);
                        case IGNORED -> {
                            // Enter after a key in a line-mode console, or a key PoolMon does not know
                        }
                    }
                } else {
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
        }
    }

    private static void draw(PoolMon display, PrintStream out) {
        out.print(CLEAR);
        out.print(display.render());
        out.flush();
    }
}
