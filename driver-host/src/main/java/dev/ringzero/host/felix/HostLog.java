package dev.ringzero.host.felix;

import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverOutcome;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import org.osgi.framework.Bundle;
import dev.ringzero.host.reports.DbgPrintLog;

/**
 * {@code log/host.log}: what the host told its user, one line each with its time (UTC, milliseconds) —
 * drivers loaded, refused and unloaded, bug checks, jars in {@code drivers/} that do not load, its own
 * faults: {@code 2026-12-02T05:30:01.123Z drivers/: corrupt jar: .../drivers/x.jar (zip file is empty); not loaded}.
 * The drivers' own {@code DbgPrint} output is in {@link DbgPrintLog}'s {@code dbgprint.log}.
 */
public final class HostLog implements HostListener, Closeable {

    /** The file's name in {@code log/}. */
    public static final String FILE = "host.log";

    private final BufferedWriter out;
    private final Clock clock = Clock.systemUTC();
    /** Set at the first write error or at close: the log stops, the host goes on (no host log is worth a fault). */
    private boolean stopped;

    private HostLog(BufferedWriter out) {
        this.out = out;
    }

    /** Opens (creating, else appending to) {@code logDir/host.log}. */
    public static HostLog open(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        return new HostLog(Files.newBufferedWriter(logDir.resolve(FILE), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    /** Appends {@code lines} to {@code logDir/host.log} when no host runs yet (a refusal before the start); never throws. */
    public static void append(Path logDir, List<String> lines) {
        try (HostLog log = open(logDir)) {
            lines.forEach(log::line);
        } catch (IOException e) {
            // the console has the lines; a log that cannot be written must not turn a refusal into a fault
        }
    }

    /** Appends one line (a multi-line text, a leak summary say, keeps its lines). Never throws. */
    public synchronized void line(String line) {
        if (stopped) {
            return;
        }
        try {
            out.write(DbgPrintLog.TIME.format(clock.instant()) + " " + line);
            out.write(System.lineSeparator());
            out.flush();
        } catch (IOException e) {
            stopped = true;
        }
    }

    @Override
    public void driverLoaded(Bundle bundle, DriverOutcome outcome) {
        line(outcome.message());
    }

    @Override
    public void driverUnloaded(Bundle bundle, String driver, List<String> notes) {
        line(notes.isEmpty() ? driver + ": driver unloaded" : String.join(System.lineSeparator(), notes));
    }

    @Override
    public void bugCheck(BugCheckReport report, Path crashReport) {
        line(report.headline() + (crashReport == null ? "" : " (crash report: " + crashReport + ")"));
    }

    @Override
    public void hostFault(String message, Throwable cause) {
        line("host fault: " + message);
    }

    @Override
    public void driversFolder(String line) {
        line(line);
    }

    @Override
    public synchronized void close() throws IOException {
        stopped = true;
        out.close();
    }
}
