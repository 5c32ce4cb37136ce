package dev.ringzero.host.reports;

import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The report {@code ringzero run} prints after the drivers' own output: each driver's status line and
 * what its unload found, the pool activity per tag and pool type (PoolMon's columns), each lookaside
 * list's final {@code !lookaside}, and the bug checks with their crash reports.
 */
public final class RunReport {

    /** One driver of the run: its load, and the lines its unload added. */
    public record Entry(DriverOutcome outcome, List<String> unload) {
    }

    /** One bug check and where its crash report went ({@code null}: not written). */
    public record Stop(BugCheckReport report, Path crashReport) {
    }

    public static final String TITLE = "--- ringzero run: report ---";

    private RunReport() {
    }

    public static String render(List<Entry> drivers, List<PoolTagUsage> usage, List<Stop> stops, List<String> faults) {
        return render(drivers, usage, (tag, paged) -> 0, stops, faults);
    }

    public static String render(List<Entry> drivers, List<PoolTagUsage> usage, Reclaimed reclaimed, List<Stop> stops,
                         List<String> faults) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(TITLE).append('\n');
        out.append("Drivers:\n");
        if (drivers.isEmpty()) {
            out.append("(none loaded)\n");
        }
        for (Entry e : drivers) {
            out.append(e.outcome().message()).append('\n');
            for (String line : e.unload()) {
                out.append(line).append('\n');
            }
        }
        out.append('\n').append("Pool activity (per tag and pool type):\n").append(poolmon(usage, reclaimed));
        List<String> dumps = new ArrayList<>();
        drivers.forEach(e -> dumps.addAll(e.outcome().lookasideDumps()));
        if (!dumps.isEmpty()) {
            out.append('\n').append("Lookaside lists (!lookaside, each just before its delete):\n");
            for (String d : dumps) {
                out.append(d.endsWith("\n") ? d : d + "\n");
            }
        }
        if (!stops.isEmpty()) {
            out.append('\n').append("Bug checks:\n");
            for (Stop s : stops) {
                out.append(s.report().headline()).append('\n');
                if (s.crashReport() != null) {
                    out.append("    crash report: ").append(s.crashReport()).append('\n');
                }
            }
        }
        if (!faults.isEmpty()) {
            out.append('\n').append("Host faults:\n");
            faults.forEach(f -> out.append(f).append('\n'));
        }
        return out.toString();
    }

    /**
     * PoolMon's table: {@code Tag Type Allocs Frees Diff Bytes Per Alloc}, one row per tag and pool, sorted by tag
     * then type; {@code Per Alloc} is {@code Bytes / Diff} (0 when nothing is outstanding). Between {@code Frees}
     * and {@code Diff}, Ringzero's {@code Reclaimed}: blocks the host freed at unload because their driver left
     * them. The pool counts those as frees; here {@code Frees} are the drivers' own, so
     * {@code Allocs = Frees + Reclaimed + Diff}.
     */
    public static String poolmon(List<PoolTagUsage> usage) {
        return poolmon(usage, (tag, paged) -> 0);
    }

    /** The blocks the host reclaimed, per tag and pool ({@code IoManager.reclaimedBlocks}). */
    public interface Reclaimed {
        long blocks(int tag, boolean paged);
    }

    public static String poolmon(List<PoolTagUsage> usage, Reclaimed reclaimed) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, " %-4s %-5s %10s %10s %10s %10s %10s %10s\n",
                "Tag", "Type", "Allocs", "Frees", "Reclaimed", "Diff", "Bytes", "Per Alloc"));
        if (usage.isEmpty()) {
            out.append(" (no pool activity)\n");
        }
        List<PoolTagUsage> rows = new ArrayList<>(usage);
        rows.sort(Comparator.comparing(PoolTagUsage::tagName).thenComparing(PoolTagUsage::paged));
        for (PoolTagUsage u : rows) {
            long diff = u.outstanding();
            long byHost = Math.min(u.frees(), reclaimed.blocks(u.tag(), u.paged()));
            out.append(String.format(Locale.ROOT, " %-4s %-5s %10d %10d %10d %10d %10d %10d\n", u.tagName(),
                    u.paged() ? "Paged" : "Nonp", u.allocs(), u.frees() - byHost, byHost, diff, u.bytesInUse(),
                    diff == 0 ? 0 : u.bytesInUse() / diff));
        }
        return out.toString();
    }
}
