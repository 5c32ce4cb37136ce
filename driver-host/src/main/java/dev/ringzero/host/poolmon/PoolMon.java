package dev.ringzero.host.poolmon;

import dev.ringzero.spi.memory.PoolTagUsage;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PoolMon's display of the pool's tags: its columns, its sort keys and its filters (Microsoft's "PoolMon Display"
 * and "PoolMon Commands" pages; nt-semantics.md §8.3). Each {@link #render} of a new snapshot shows, beside
 * {@code Allocs}, {@code Frees} and {@code Bytes}, how much each changed since the previous one, in parentheses.
 *
 * <pre>
 *  Tag  Type       Allocs          Frees           Diff      Bytes            Per Alloc
 *  Wasm Paged          76 (   5)       60 (   4)      16       1024 (    64)        64
 * </pre>
 *
 * <h2>Keys (poolmon.exe's run-time commands)</h2>
 * {@code P} cycles the pool shown (both, non-paged, paged); {@code T} sorts by tag (the default, A to Z),
 * {@code A} by allocs, {@code F} by frees, {@code S} by diff (allocs minus frees), {@code B} by bytes,
 * {@code M} by bytes per allocation (numbers largest first); {@code (} or {@code )} toggles sorting by the change
 * instead of the value (for A, F, B, as poolmon's {@code /(}); {@code E} toggles the paged and non-paged totals at
 * the bottom; {@code Q} quits. Keys are case-insensitive. Not a thread-safe object: one display, one thread.
 */
public final class PoolMon {

    /** What the rows are sorted by. */
    public enum Sort {
        TAG("Tag"), ALLOCS("Allocs"), FREES("Frees"), DIFF("Diff"), BYTES("Bytes"), PER_ALLOC("Per Alloc");

        private final String label;

        Sort(String label) {
            this.label = label;
        }
    }

    /** Which pool's tags are shown: poolmon's {@code P} cycles both, non-paged ({@code /p}), paged ({@code /p /p}). */
    public enum Pools {
        BOTH("both pools"), NONPAGED("non-paged pool"), PAGED("paged pool");

        private final String label;

        Pools(String label) {
            this.label = label;
        }

        boolean shows(PoolTagUsage u) {
            return this == BOTH || u.paged() == (this == PAGED);
        }

        Pools next() {
            return values()[(ordinal() + 1) % values().length];
        }
    }

    /** What a key did. */
    public enum Key {
        /** The display changed: render again. */
        CHANGED,
        /** Quit ({@code Q}). */
        QUIT,
        /** Not one of PoolMon's keys. */
        IGNORED
    }

    /** The columns' header. */
    static final String HEADER = String.format(" %-4s %-5s %9s %6s %9s %6s %8s %11s %8s %9s",
            "Tag", "Type", "Allocs", "", "Frees", "", "Diff", "Bytes", "", "Per Alloc");

    private Sort sort = Sort.TAG;
    private boolean byChange;
    private Pools pools = Pools.BOTH;
    private boolean totals;

    private List<PoolTagUsage> current = List.of();
    private Map<Long, PoolTagUsage> previous = Map.of();

    /** Takes a new snapshot: the changes shown are against the snapshot before it. */
    public void update(List<PoolTagUsage> snapshot) {
        Map<Long, PoolTagUsage> before = new HashMap<>();
        current.forEach(u -> before.put(key(u), u));
        previous = before;
        current = List.copyOf(snapshot);
    }

    /** Handles one key of poolmon.exe's. */
    public Key key(int c) {
        switch (Character.toUpperCase((char) c)) {
            case 'Q' -> {
                return Key.QUIT;
            }
            case 'P' -> pools = pools.next();
            case 'T' -> sort = Sort.TAG;
            case 'A' -> sort = Sort.ALLOCS;
            case 'F' -> sort = Sort.FREES;
            case 'S', 'D' -> sort = Sort.DIFF;
            case 'B' -> sort = Sort.BYTES;
            case 'M' -> sort = Sort.PER_ALLOC;
            case '(', ')' -> byChange = !byChange;
            case 'E' -> totals = !totals;
            default -> {
                return Key.IGNORED;
            }
        }
        return Key.CHANGED;
    }

    public Sort sort() {
        return sort;
    }

    public Pools pools() {
        return pools;
    }

    public boolean byChange() {
        return byChange;
    }

    /** The display of the current snapshot: a status line, the header, one row per tag, the totals if asked for. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(" Ringzero PoolMon: %s, sorted by %s%s%n", pools.label, sort.label,
                byChange && changeSortable() ? " change" : ""));
        sb.append(" Keys: P pool type, T tag, A allocs, F frees, S diff, B bytes, M per alloc, ( change, E totals, Q quit")
                .append(System.lineSeparator()).append(System.lineSeparator());
        sb.append(HEADER).append(System.lineSeparator());
        List<PoolTagUsage> rows = current.stream().filter(pools::shows).sorted(order()).toList();
        for (PoolTagUsage u : rows) {
            PoolTagUsage p = previous.get(key(u));
            sb.append(String.format(" %-4s %-5s %9d (%4d) %9d (%4d) %8d %11d (%6d) %9d%n", u.tagName(), type(u.paged()),
                    u.allocs(), u.allocs() - (p == null ? 0 : p.allocs()), u.frees(), u.frees() - (p == null ? 0 : p.frees()),
                    u.outstanding(), u.bytesInUse(), u.bytesInUse() - (p == null ? 0 : p.bytesInUse()), perAlloc(u)));
        }
        if (totals) {
            sb.append(System.lineSeparator());
            for (boolean paged : new boolean[] {false, true}) {
                long allocs = 0, frees = 0, bytes = 0;
                for (PoolTagUsage u : current) {
                    if (u.paged() == paged) {
                        allocs += u.allocs();
                        frees += u.frees();
                        bytes += u.bytesInUse();
                    }
                }
                sb.append(String.format(" %-10s %9d %16d %16d %11d%n", "Total " + type(paged), allocs, frees, allocs - frees, bytes));
            }
        }
        return sb.toString();
    }

    /** Sorting by change applies to the columns PoolMon shows a change for. */
    private boolean changeSortable() {
        return sort == Sort.ALLOCS || sort == Sort.FREES || sort == Sort.BYTES;
    }

    private Comparator<PoolTagUsage> order() {
        Comparator<PoolTagUsage> byTag = Comparator.comparing(PoolTagUsage::tagName).thenComparing(PoolTagUsage::paged);
        if (sort == Sort.TAG) {
            return byTag;
        }
        Comparator<PoolTagUsage> byValue = Comparator.comparingLong(this::value);
        return byValue.reversed().thenComparing(byTag); // largest first, as poolmon.exe
    }

    private long value(PoolTagUsage u) {
        // by change: against the previous snapshot (a tag new since then changed by all it holds); else p stays null
        PoolTagUsage p = byChange && changeSortable() ? previous.get(key(u)) : null;
        return switch (sort) {
            case TAG -> 0;
            case ALLOCS -> u.allocs() - (p == null ? 0 : p.allocs());
            case FREES -> u.frees() - (p == null ? 0 : p.frees());
            case DIFF -> u.outstanding();
            case BYTES -> u.bytesInUse() - (p == null ? 0 : p.bytesInUse());
            case PER_ALLOC -> perAlloc(u);
        };
    }

    /** PoolMon's {@code Per Alloc}: bytes in use per outstanding block, truncated; 0 with none outstanding. */
    static long perAlloc(PoolTagUsage u) {
        return u.outstanding() <= 0 ? 0 : u.bytesInUse() / u.outstanding();
    }

    private static String type(boolean paged) {
        return paged ? "Paged" : "Nonp";
    }

    private static long key(PoolTagUsage u) {
        return (Integer.toUnsignedLong(u.tag()) << 1) | (u.paged() ? 1 : 0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PoolMon[%s, sort=%s%s, %d tags]", pools, sort, byChange ? " change" : "", current.size());
    }
}
