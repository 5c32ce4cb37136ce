package dev.ringzero.host.reports;

import dev.ringzero.host.core.DbgPrintSink;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * {@code log/dbgprint.log}: every driver's {@code DbgPrint} lines, each with its time (UTC, milliseconds)
 * and the driver's name, appended as they come —
 * {@code 2026-11-22T22:50:01.123Z [LookasideList] LookasideList: Entering DriverEntry}.
 * An empty {@code DbgPrint} line is written as the time and the name alone.
 */
public final class DbgPrintLog implements DbgPrintSink, Closeable {

    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Writer out;
    private final Clock clock;
    private final Consumer<String> warn;
    /** Set at the first write error: the log stops, the drivers go on (a log failure is no driver's fault). */
    private boolean broken;
    /** Set at close: a quarantined driver that prints after its host has gone is not heard any more. */
    private boolean closed;

    DbgPrintLog(Writer out, Clock clock, Consumer<String> warn) {
        this.out = out;
        this.clock = clock;
        this.warn = warn;
    }

    /**
     * Opens (creating, else appending to) {@code file}. Through a {@link FileOutputStream}, not
     * {@code Files.newBufferedWriter}: the lines are written on the drivers' threads, and a driver that
     * interrupts its own thread would close a {@code FileChannel}'s stream — the log — for everyone.
     */
    public static DbgPrintLog open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Writer w = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file.toFile(), true), StandardCharsets.UTF_8));
        return new DbgPrintLog(w, Clock.systemUTC(), System.err::println);
    }

    /** {@code <time> [<driver>] <line>}. */
    static String format(String time, String driver, String line) {
        return line.isEmpty() ? time + " [" + driver + "]" : time + " [" + driver + "] " + line;
    }

    /**
     * Appends one line. Never throws: this runs inside the driver's {@code DbgPrint}, where an
     * exception would be taken for the driver's fault. After a write error the log reports it once on
     * standard error and stops.
     */
    @Override
    public synchronized void line(String driver, String line) {
        if (broken || closed) {
            return;
        }
        try {
            out.write(format(TIME.format(clock.instant()), driver, line));
            out.write(System.lineSeparator());
            out.flush();
        } catch (IOException e) {
            broken = true;
            warn.accept("ringzero: cannot write the DbgPrint log any more: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        out.close();
    }
}
