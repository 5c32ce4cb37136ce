package dev.ringzero.host.reports;

import dev.ringzero.api.BugCheck;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.Executive;
import dev.ringzero.spi.memory.ExecutivePool;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Crash reports in {@code log/}: one file per bug check, {@code bugcheck-<time>-<driver>-<code>.txt},
 * holding what a kernel debugger's {@code !analyze} would start with — the stop code and its four
 * parameters with their meanings, whose fault it was and what it was doing, and the Java stack that
 * led there.
 */
public final class CrashReports {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    /** The crash-report index: the file written for each bug check ({@code kd:bugchecks}, {@code !analyze}). */
    private final Map<BugCheckReport, Path> files = new ConcurrentHashMap<>();

    public CrashReports(Path dir) {
        this.dir = dir;
    }

    /** The crash report written for {@code report}, or {@code null} (none written, or it could not be). */
    public Path fileOf(BugCheckReport report) {
        return files.get(report);
    }

    /** Writes the report; returns its path, or {@code null} when it cannot be written (the host goes on). */
    public Path write(BugCheckReport r) {
        return write(r, null);
    }

    /** As {@link #write(BugCheckReport)}, with the pool's and the lookaside lists' state at the time. */
    public Path write(BugCheckReport r, Executive executive) {
        BugCheck b = r.bugCheck();
        String name = String.format(Locale.ROOT, "bugcheck-%s-%s-0x%X", FILE_TIME.format(r.time()),
                r.owner().name().replaceAll("[^A-Za-z0-9._-]", "_"), b.code().code());
        try {
            Files.createDirectories(dir);
            // two bug checks of one driver with one code can fall in the same millisecond (a thread left running
            // and its next call after the unload): the second gets -2, never the first's file
            Path path = dir.resolve(name + ".txt");
            for (int n = 2; ; n++) {
                try {
                    Files.createFile(path);
                    break;
                } catch (FileAlreadyExistsException taken) {
                    path = dir.resolve(name + "-" + n + ".txt");
                }
            }
            // a FileOutputStream, not Files.writeString: its channel would fail on (and be closed by) an interrupted
            // thread, and bug checks are often reported on the faulting driver's thread, which the driver may interrupt
            try (FileOutputStream out = new FileOutputStream(path.toFile())) {
                out.write(render(r, executive).getBytes(StandardCharsets.UTF_8));
            }
            files.put(r, path);
            return path;
        } catch (IOException e) {
            return null;
        }
    }

    static String render(BugCheckReport r) {
        return render(r, null);
    }

    static String render(BugCheckReport r, Executive executive) {
        BugCheck b = r.bugCheck();
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println(r.headline());
        out.println();
        out.println("Time:    " + DbgPrintLog.TIME.format(r.time()));
        out.println("Driver:  " + r.owner());
        out.println("Phase:   " + r.phase());
        out.println("Stop:    " + b.code());
        out.print(b.describeParameters());
        if (!b.detail().isEmpty()) {
            out.println("Detail:  " + b.detail());
        }
        Throwable cause = b.getCause() != null ? b.getCause() : b;
        out.println();
        out.println("Stack:");
        cause.printStackTrace(out);
        if (executive != null) {
            out.println();
            out.println("Pool (!poolused):");
            out.println(state(() -> executive.pool().renderPoolUsed(ExecutivePool.PoolUsedSort.TAG, null)));
            out.println("Pool blocks still held by " + r.owner().name() + ":");
            out.println(state(() -> {
                StringBuilder sb = new StringBuilder();
                executive.pool().outstanding(r.owner()).forEach(block -> sb.append("    ").append(block).append('\n'));
                return sb.isEmpty() ? "    none\n" : sb.toString();
            }));
            out.println("Lookaside lists (!lookaside), new lists use '" + executive.selectedLookaside().name() + "':");
            out.println(state(() -> executive.lookasideRegistry().renderAll()));
        }
        out.flush();
        return text.toString();
    }

    /** One piece of state, or why it cannot be shown (a corrupt list must not stop the report). */
    private static String state(Supplier<String> render) {
        try {
            return render.get();
        } catch (RuntimeException e) {
            return "    (unavailable: " + e + ")";
        }
    }
}
