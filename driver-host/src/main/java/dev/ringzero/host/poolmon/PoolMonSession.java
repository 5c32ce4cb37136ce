package dev.ringzero.host.poolmon;

import dev.ringzero.spi.memory.PoolTagUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A live {@link PoolMon}: a new snapshot every {@code refresh} (one second, as poolmon.exe), the screen redrawn
 * (ANSI: cursor home, clear), and poolmon's keys. It ends at {@code Q} or at the end of the keys' input.
 *
 * <h2>Threads</h2>
 * The calling thread draws the first screen, then reads the keys — a blocking read, since a shell's input stream
 * need not tell what is {@linkplain InputStream#available() available} (Gogo's does not) — and redraws at once
 * after each key that changes the display. A daemon thread, "PoolMon refresh", takes the snapshots and redraws;
 * it is stopped before {@link #run} returns. Drawing is serialized. In a terminal set to character mode
 * ({@code ringzero poolmon} does that) each key acts at once; in a line-mode console a key acts when Enter follows.
 *
 * <p>When the source fails (the host went away), the refresh thread draws one line saying so and stops; {@link #run}
 * throws that failure when the user quits.
 */
public final class PoolMonSession {

    /** ANSI: cursor to the top left, clear the screen. */
    static final String CLEAR = "\033[H\033[2J";

    /** Where the snapshots come from; may throw when the source is gone (a host that stopped). */
    @FunctionalInterface
    public interface Source {
        List<PoolTagUsage> snapshot() throws IOException;
    }

    private final Source source;
    private final PrintStream out;
    private final PoolMon display = new PoolMon();
    private volatile IOException failure;

    private PoolMonSession(Source source, PrintStream out) {
        this.source = source;
        this.out = out;
    }

    /**
     * Runs until {@code Q} or the end of {@code keys}.
     *
     * @throws IOException when the source failed, first or later (the caller says so in one line)
     */
    public static void run(Source source, InputStream keys, PrintStream out, Duration refresh) throws IOException {
        PoolMonSession session = new PoolMonSession(source, out);
        session.refresh();
        Thread refresher = Thread.ofPlatform().name("PoolMon refresh").daemon(true).start(() -> {
            while (!Thread.currentThread().isInterrupted() && session.failure == null) {
                LockSupport.parkNanos(refresh.toNanos());
                if (!Thread.currentThread().isInterrupted()) {
                    try {
                        session.refresh();
                    } catch (IOException e) {
                        session.failed(e);
                    }
                }
            }
        });
        try {
            session.readKeys(keys);
        } finally {
            refresher.interrupt();
            try {
                refresher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (session.failure != null) {
            throw session.failure;
        }
    }

    private void readKeys(InputStream keys) throws IOException {
        for (int c = keys.read(); c >= 0; c = keys.read()) {
            synchronized (display) {
                switch (display.key(c)) {
                    case QUIT -> {
                        return;
                    }
                    case CHANGED -> draw();
                    case IGNORED -> {
                        // Enter after a key in a line-mode console, or a key PoolMon does not know
                    }
                }
            }
        }
    }

    /** A new snapshot, drawn. */
    private void refresh() throws IOException {
        List<PoolTagUsage> snapshot = source.snapshot();
        synchronized (display) {
            display.update(snapshot);
            draw();
        }
    }

    private void failed(IOException e) {
        failure = e;
        synchronized (display) {
            out.println();
            out.println(" PoolMon stopped: " + (e.getMessage() == null ? e : e.getMessage()) + "; Q quits");
            out.flush();
        }
    }

    private void draw() {
        out.print(CLEAR);
        out.print(display.render());
        out.flush();
    }
}
