package dev.ringzero.pool;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.memory.ExecutivePool.PoolUsedSort;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The debugger's views of the tag counters: {@code !poolused} and PoolMon.
 *
 * <pre>
 *    Sorting by  Tag
 *
 *   Pool Used:
 *             NonPaged            Paged
 *  Tag    Allocs     Used    Allocs     Used
 *  Wasm        5     5120         0        0 Binary: LookasideList#1
 *  TOTAL           5     5120         0        0
 * </pre>
 * Rows are {@code " %-4s %8d %8d %9d %8d"} then the description. The kernel debugger appends its description
 * (from pooltag.txt) without a separator, so a wide number runs into it; Ringzero puts one space there
 * ({@code 0 Binary: System}, never {@code 0Binary: System}). {@code Allocs} are the blocks still allocated,
 * {@code Used} their bytes.
 * The description names the owners (drivers) that allocated with the tag, where {@code !poolused}
 * would quote {@code pooltag.txt}. Rows with nothing allocated in either pool are left out.
 */
final class PoolReports {

    /** One tag in one pool, with the owners that used it. */
    record TagRow(int tag, boolean paged, long allocs, long frees, long bytes, List<String> owners) {
        long outstanding() {
            return allocs - frees;
        }
    }

    private PoolReports() {
    }

    /** Counters by key ({@link TagCounters#key}: {allocs, frees, bytes}) summed per tag and pool, sorted by tag. */
    static List<PoolTagUsage> usage(Map<Long, long[]> counters) {
        Map<Long, long[]> byTag = new TreeMap<>();
        counters.forEach((key, t) -> addTo(byTag, key, t));
        List<PoolTagUsage> out = new ArrayList<>();
        byTag.forEach((k, t) -> out.add(new PoolTagUsage((int) (long) k, (k >>> 32) != 0, t[0], t[1], t[2])));
        out.sort(Comparator.comparing(PoolTagUsage::tagName).thenComparing(PoolTagUsage::paged));
        return out;
    }

    /** Adds the counters {@code t} of {@code key} to their tag and pool's sums (keyed {@code paged << 32 | tag}); returns that key. */
    private static long addTo(Map<Long, long[]> sums, long key, long[] t) {
        long tagKey = (TagCounters.pagedOf(key) ? 1L << 32 : 0) | TagCounters.tagOf(key);
        long[] sum = sums.computeIfAbsent(tagKey, k -> new long[3]);
        sum[0] += t[0];
        sum[1] += t[1];
        sum[2] += t[2];
        return tagKey;
    }

    static List<TagRow> rows(Map<Long, long[]> counters, PoolEngine engine) {
        Map<Long, long[]> sums = new TreeMap<>();
        Map<Long, List<String>> owners = new HashMap<>();
        counters.forEach((key, t) -> {
            long tagKey = addTo(sums, key, t);
            owners.computeIfAbsent(tagKey, k -> new ArrayList<>()).add(engine.owners.ownerAt(TagCounters.ownerOf(key)).toString());
        });
        List<TagRow> out = new ArrayList<>();
        sums.forEach((k, t) -> {
            List<String> names = owners.get(k);
            names.sort(null);
            out.add(new TagRow((int) (long) k, (k >>> 32) != 0, t[0], t[1], t[2], List.copyOf(names)));
        });
        return out;
    }

    static String poolUsed(List<TagRow> rows, PoolUsedSort sort, String pattern) {
        record Line(String tag, long npAllocs, long npUsed, long pAllocs, long pUsed, List<String> owners) {
        }
        Map<String, Line> lines = new TreeMap<>();
        for (TagRow r : rows) {
            String name = PoolTag.toString(r.tag());
            if (!matches(pattern, name)) {
                continue;
            }
            Line l = lines.getOrDefault(name, new Line(name, 0, 0, 0, 0, List.of()));
            List<String> owners = new ArrayList<>(l.owners());
            r.owners().stream().filter(o -> !owners.contains(o)).forEach(owners::add);
            owners.sort(null);
            lines.put(name, r.paged()
                    ? new Line(name, l.npAllocs(), l.npUsed(), l.pAllocs() + r.outstanding(), l.pUsed() + r.bytes(), owners)
                    : new Line(name, l.npAllocs() + r.outstanding(), l.npUsed() + r.bytes(), l.pAllocs(), l.pUsed(), owners));
        }
        List<Line> sorted = new ArrayList<>(lines.values().stream()
                .filter(l -> l.npAllocs() != 0 || l.npUsed() != 0 || l.pAllocs() != 0 || l.pUsed() != 0).toList());
        String by = switch (sort) {
            case TAG -> "Tag";
            case NONPAGED -> "NonPaged Pool Consumed";
            case PAGED -> "Paged Pool Consumed";
        };
        switch (sort) {
            case NONPAGED -> sorted.sort(Comparator.comparingLong(Line::npUsed).reversed().thenComparing(Line::tag));
            case PAGED -> sorted.sort(Comparator.comparingLong(Line::pUsed).reversed().thenComparing(Line::tag));
            case TAG -> { // already by tag
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("   Sorting by  ").append(by).append('\n').append('\n');
        sb.append("  Pool Used:\n");
        sb.append("            NonPaged            Paged\n");
        sb.append(" Tag    Allocs     Used    Allocs     Used\n");
        long npA = 0, npU = 0, pA = 0, pU = 0;
        for (Line l : sorted) {
            sb.append(String.format(Locale.ROOT, " %-4s %8d %8d %9d %8d%s\n", l.tag(), l.npAllocs(), l.npUsed(), l.pAllocs(),
                    l.pUsed(), " Binary: " + String.join(", ", l.owners())));
            npA += l.npAllocs();
            npU += l.npUsed();
            pA += l.pAllocs();
            pU += l.pUsed();
        }
        sb.append(String.format(Locale.ROOT, " TOTAL %11d %9d %9d %8d\n", npA, npU, pA, pU));
        return sb.toString();
    }

    /**
     * PoolMon's display: per tag and pool, allocations and frees with their change since
     * {@code previous} (the last display), outstanding blocks, bytes and bytes per outstanding block.
     */
    static String poolMon(List<PoolTagUsage> now, List<PoolTagUsage> previous) {
        Map<Long, PoolTagUsage> before = new HashMap<>();
        for (PoolTagUsage u : previous) {
            before.put(key(u), u);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, " %-4s %-5s %9s %8s %9s %8s %8s %10s %8s %9s\n",
                "Tag", "Type", "Allocs", "", "Frees", "", "Diff", "Bytes", "", "Per Alloc"));
        for (PoolTagUsage u : now) {
            PoolTagUsage b = before.getOrDefault(key(u), new PoolTagUsage(u.tag(), u.paged(), 0, 0, 0));
            long diff = u.outstanding();
            sb.append(String.format(Locale.ROOT, " %-4s %-5s %9d (%6d) %9d (%6d) %8d %10d (%6d) %9d\n",
                    u.tagName(), u.paged() ? "Paged" : "Nonp", u.allocs(), u.allocs() - b.allocs(), u.frees(),
                    u.frees() - b.frees(), diff, u.bytesInUse(), u.bytesInUse() - b.bytesInUse(),
                    diff == 0 ? 0 : u.bytesInUse() / diff));
        }
        return sb.toString();
    }

    private static long key(PoolTagUsage u) {
        return (u.paged() ? 1L << 32 : 0) | (u.tag() & 0xFFFF_FFFFL);
    }

    /** {@code !poolused}'s TagString: {@code *} any run, {@code ?} any one character, case-sensitive. */
    static boolean matches(String pattern, String tag) {
        if (pattern == null || pattern.isEmpty()) {
            return true;
        }
        return glob(pattern, 0, tag, 0) || glob(pattern, 0, tag.stripTrailing(), 0);
    }

    private static boolean glob(String p, int i, String s, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= s.length(); k++) {
                    if (glob(p, i + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (j >= s.length() || (c != '?' && c != s.charAt(j))) {
                return false;
            }
            i++;
            j++;
        }
        return j == s.length();
    }
}
