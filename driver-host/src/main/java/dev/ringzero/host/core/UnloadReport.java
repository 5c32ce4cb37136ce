package dev.ringzero.host.core;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one unload found — after {@code DriverUnload}, or after a {@code DriverEntry} that failed or faulted: the
 * pool blocks the driver left (the host reclaimed them, or under the verifier bug-checked {@code 0xC4/0x62} first),
 * the lookaside lists it did not delete, the bug checks the unload raised, and the host's account of it in lines.
 * The blocks and lists are as they were just before the host gave the memory back, each with its allocation site
 * where the verifier recorded one; the test kit judges leaks from them.
 *
 * @param driver         the driver's service name
 * @param owner          the load that was unloaded
 * @param state          {@link DriverState#UNLOADED}, or {@link DriverState#QUARANTINED} when its code did not end
 *                       (its memory is then left alone, and nothing is listed as leaked)
 * @param leakedBlocks   the pool blocks it never freed
 * @param undeletedLists the lookaside lists it never deleted
 * @param bugChecks      the bug checks of the unload ({@code DriverUnload}'s fault, the verifier's leak checks,
 *                       threads left running), oldest first
 * @param lines          the host's account, one finding a line (each bug check's headline among them); empty when
 *                       the unload found nothing
 */
public record UnloadReport(String driver, Owner owner, DriverState state, List<PoolBlockInfo> leakedBlocks,
                           List<LookasideInfo> undeletedLists, List<BugCheckReport> bugChecks, List<String> lines) {

    /** How many leaked blocks a leak's line lists one by one; the rest are counted (NT's verifier also lists a few). */
    public static final int LEAKS_LISTED = 20;

    public UnloadReport {
        leakedBlocks = List.copyOf(leakedBlocks);
        undeletedLists = List.copyOf(undeletedLists);
        bugChecks = List.copyOf(bugChecks);
        lines = List.copyOf(lines);
    }

    /** An unload that did not happen (no such driver, or one quarantined): only lines. */
    static UnloadReport nothing(String driver, List<String> lines) {
        return new UnloadReport(driver, null, DriverState.UNLOADED, List.of(), List.of(), List.of(), lines);
    }

    /** Whether the driver gave back everything: no block left, no list left. */
    public boolean clean() {
        return leakedBlocks.isEmpty() && undeletedLists.isEmpty();
    }

    /** What an unload collects while it runs; the I/O manager's own. */
    static final class Builder {
        private final LoadedDriver driver;
        private final List<PoolBlockInfo> blocks = new ArrayList<>();
        private final List<LookasideInfo> lists = new ArrayList<>();
        private final List<BugCheckReport> bugChecks = new ArrayList<>();
        private final List<String> lines = new ArrayList<>();

        Builder(LoadedDriver driver) {
            this.driver = driver;
        }

        void line(String line) {
            lines.add(line);
        }

        void bugCheck(BugCheckReport report) {
            bugChecks.add(report);
            lines.add(report.headline());
        }

        void leaked(List<PoolBlockInfo> b, List<LookasideInfo> l) {
            blocks.addAll(b);
            lists.addAll(l);
        }

        List<String> lines() {
            return lines;
        }

        UnloadReport build(DriverState state) {
            return new UnloadReport(driver.name(), driver.owner(), state, blocks, lists, bugChecks, lines);
        }
    }

    /**
     * A leak in a few lines, however many blocks leaked: the count and bytes, one line per tag and pool
     * type, then the first {@link #LEAKS_LISTED} blocks and how many more there are.
     *
     * @param crashReport whether a bug check's crash report will list every block (under the verifier)
     */
    static String leakDetail(String driver, List<PoolBlockInfo> leaks, boolean crashReport) {
        record TagAndPool(String tag, String pool) {
        }
        Map<TagAndPool, long[]> perTag = new TreeMap<>(
                Comparator.comparing(TagAndPool::tag).thenComparing(TagAndPool::pool));
        long bytes = 0;
        for (PoolBlockInfo b : leaks) {
            long[] countAndBytes = perTag.computeIfAbsent(
                    new TagAndPool(PoolTag.toString(b.tag()), PoolType.baseName(b.poolType())), k -> new long[2]);
            countAndBytes[0]++;
            countAndBytes[1] += b.size();
            bytes += b.size();
        }
        StringBuilder sb = new StringBuilder(driver).append(" unloaded without freeing ").append(leaks.size())
                .append(" pool allocation(s), ").append(bytes).append(" bytes:");
        perTag.forEach((k, v) -> sb.append(String.format("\n    tag %s %s: %d allocation(s), %d bytes", k.tag(), k.pool(), v[0], v[1])));
        leaks.stream().limit(LEAKS_LISTED).forEach(b -> sb.append("\n    ").append(b));
        if (leaks.size() > LEAKS_LISTED) {
            sb.append("\n    ... and ").append(leaks.size() - LEAKS_LISTED).append(" more (")
                    .append(crashReport ? "the crash report lists every block"
                            : "not listed; under the verifier (--verify " + driver + ") the crash report lists every block")
                    .append(')');
        }
        return sb.toString();
    }
}
