package dev.ringzero.host.felix;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideProvider;
import dev.ringzero.api.lookaside.LookasideRegistry;
import dev.ringzero.api.memory.ExecutivePool;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.host.poolmon.PoolMonSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host's Gogo commands, in scope {@code kd}, named after the kernel debugger's extensions:
 * {@code lm}, {@code lookaside}, {@code poolused}, {@code load}, {@code unload}, {@code allocators},
 * {@code verifier}, {@code bugchecks}. Gogo finds them by reflection (the service properties
 * {@code osgi.command.scope} / {@code osgi.command.function}); each answers a wrong call with its usage,
 * {@code kd:commands} prints them all, and any command with {@code -h} its own.
 *
 * <p>No Gogo annotation is used, so the host does not depend on the Gogo runtime.
 */
public final class KdCommands {

    /** The functions, as registered. */
    static final String[] FUNCTIONS = {"commands", "lm", "lookaside", "poolused", "poolmon", "load", "unload", "allocators", "verifier", "specialpool", "bugchecks"};

    static final Map<String, String> USAGE = new TreeMap<>(Map.of(
            "lm", "lm                         list the loaded drivers: state, image, verifier, pool blocks and lookaside lists;"
                    + " under a quarantined driver, its hung thread and the CPU time it has used",
            "lookaside", "lookaside [ADDRESS [1|2 DEPTH]]   !lookaside: every registered list, or the one at ADDRESS (hex);"
                    + " 1 resets its counters, 2 sets its Depth (0..MaximumDepth; hex as in WinDbg, 0n for decimal: 0n10)",
            "poolused", "poolused [FLAGS] [TAG]     !poolused: per-tag usage; FLAGS 2 sorts by non-paged, 4 by paged bytes;"
                    + " TAG may hold * and ? (quote it: 'Lk*')",
"poolmon", "poolmon                    a live PoolMon, refreshed every second: P pool type, T tag, A allocs, F frees,"
                    + " S diff, B bytes, M per alloc, ( sort by change, E totals, Q quit (each key, then Enter)",
            "load", "load JAR|NAME              load a driver bundle (a path, or NAME[.jar] in drivers/ or samples/)",
            "unload", "unload NAME                ZwUnloadDriver: refused (STATUS_INVALID_DEVICE_REQUEST) without DriverUnload",
            "allocators", "allocators [select|remove NAME]   the lookaside implementations; select one for new lists;"
                    + " remove one that serves no list",
            "verifier", "verifier [on|off] [NAME]   Driver Verifier: show, or switch it for every driver or for NAME",
            "specialpool", "specialpool [on|off NAME | on|off tag TAG]   the verifier's special pool: show, or switch it for"
                    + " the driver NAME or for every block tagged TAG (may hold * and ?: quote it, 'Lk*')",
            "bugchecks", "bugchecks                  the bug checks caught so far, with their crash reports"));

    private final FelixHost host;

    KdCommands(FelixHost host) {
        this.host = host;
    }

    private static String usage(String command) {
        return "usage: kd:" + USAGE.get(command);
    }

    public String commands() {
        StringBuilder sb = new StringBuilder("Ringzero kernel debugger commands (scope kd):\n");
        USAGE.values().forEach(u -> sb.append("  ").append(u).append('\n'));
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------- lm

    public String lm() {
        return lm(host.ioManager(), host.executive(), ManagementFactory.getThreadMXBean());
    }

    /**
     * One row per driver; under a quarantined driver, the thread its hung {@code DriverEntry} or
     * {@code DriverUnload} still runs on, with the CPU time it has used — a spinning driver burns a core
     * until its code returns, and nothing can stop it ({@code Thread.stop} is gone from Java).
     */
    static String lm(IoManager io, Executive ex, ThreadMXBean threads) {
        StringBuilder sb = new StringBuilder(String.format("%-24s %-11s %-8s %-8s %-8s %7s %6s%n",
                "Name", "State", "Start", "Size", "Verifier", "Blocks", "Lists"));
        boolean anyRunning = false;
        for (IoManager.LoadedDriver d : io.drivers().values()) {
            sb.append(String.format("%-24s %-11s %08X %08X %-8s %7d %6d%n", d.name(), d.state().name().toLowerCase(),
                    d.imageBase(), d.imageSize(), ex.pool().isVerified(d.owner()) ? "on" : "off",
                    ex.pool().outstanding(d.owner()).size(), ex.lookasideRegistry().ownedBy(d.owner()).size()));
            if (d.state() == DriverState.QUARANTINED) {
                Thread t = io.hungWorker(d.name()).orElse(null);
                if (t != null) {
                    sb.append("    ").append(hungThread(t, threads)).append(System.lineSeparator());
                    anyRunning |= t.isAlive();
                }
            }
        }
        if (anyRunning) {
            sb.append("A quarantined driver's thread cannot be stopped (Java has no Thread.stop): it runs until the driver's"
                    + " code returns or the host stops.").append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** {@code thread "System worker: DriverEntry Spin" (id 42): RUNNABLE, CPU 12.345 s}, or that it has ended. */
    static String hungThread(Thread t, ThreadMXBean threads) {
        String head = "thread \"" + t.getName() + "\" (id " + t.threadId() + "): ";
        if (!t.isAlive()) {
            return head + "ended";
        }
        long cpu = threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()
                ? threads.getThreadCpuTime(t.threadId()) : -1;
        return head + t.getState() + (cpu < 0 ? ", CPU time not available"
                : String.format(Locale.ROOT, ", CPU %.3f s", cpu / 1e9));
    }

    // ------------------------------------------------------------------------------------ lookaside

    public String lookaside() {
        return host.executive().lookasideRegistry().renderAll();
    }

    public String lookaside(String address) {
        if (isHelp(address)) {
            return usage("lookaside");
        }
        Integer a = hexAddress(address);
        if (a == null) {
            return "not a hex address: " + address + "\n" + usage("lookaside");
        }
        try {
            return host.executive().lookasideRegistry().render(a);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** {@code !lookaside ADDRESS 1}: resets the list's counters and dumps it. */
    public String lookaside(String address, String option) {
        return lookaside(host.executive().lookasideRegistry(), address, option, null);
    }

    /** {@code !lookaside ADDRESS 2 DEPTH}: sets the list's {@code Depth} and dumps it. */
    public String lookaside(String address, String option, String depth) {
        return lookaside(host.executive().lookasideRegistry(), address, option, depth);
    }

    /**
     * The forms with an option: {@code 1} resets the counters ({@link LookasideRegistry#resetCounters}),
     * {@code 2 DEPTH} sets the depth ({@link LookasideRegistry#setDepth}); then the list's dump, so the
     * effect shows. Anything wrong — the input, or what the registry refuses — is one line, then the usage.
     *
     * @param depth {@code null} when not given
     */
    static String lookaside(LookasideRegistry registry, String address, String option, String depth) {
        Integer a = hexAddress(address);
        if (a == null) {
            return lookasideError("not a hex address: " + address);
        }
        try {
            switch (option) {
                case "1" -> {
                    if (depth != null) {
                        return lookasideError("option 1 (reset the counters) takes no DEPTH, got: " + depth);
                    }
                    registry.resetCounters(a);
                }
                case "2" -> {
                    if (depth == null) {
                        return lookasideError("option 2 (set the depth) needs a DEPTH");
                    }
                    Integer d = windbgNumber(depth);
                    if (d == null) {
                        return lookasideError("not a depth: " + depth);
                    }
                    registry.setDepth(a, d);
                }
                default -> {
                    return lookasideError("unknown option: " + option + " (1 resets the counters, 2 DEPTH sets the depth)");
                }
            }
            return registry.render(a);
        } catch (RuntimeException e) {
            // no live list there, a depth out of range: the user's to fix, told in one line
            return lookasideError(e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private static String lookasideError(String error) {
        return "lookaside: " + error + "\n" + usage("lookaside");
    }

    /** A header address in hex, with or without {@code 0x}; {@code null} when not one. */
    private static Integer hexAddress(String address) {
        try {
            return Integer.parseUnsignedInt(address.toLowerCase().startsWith("0x") ? address.substring(2) : address, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A number as WinDbg reads one in its default radix: hex, with or without {@code 0x}; decimal with
     * {@code 0n} ({@code 0n10} is ten); {@code null} when not one.
     */
    private static Integer windbgNumber(String s) {
        String t = s.toLowerCase();
        boolean negative = t.startsWith("-");
        String digits = negative ? t.substring(1) : t;
        int radix = 16;
        if (digits.startsWith("0n")) {
            radix = 10;
            digits = digits.substring(2);
        } else if (digits.startsWith("0x")) {
            digits = digits.substring(2);
        }
        try {
            int v = Integer.parseInt(digits, radix);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------- poolused

    public String poolused() {
        return host.executive().pool().renderPoolUsed(ExecutivePool.PoolUsedSort.TAG, null);
    }

    public String poolused(String flagsOrTag) {
        if (isHelp(flagsOrTag)) {
            return usage("poolused");
        }
        ExecutivePool.PoolUsedSort sort = sort(flagsOrTag);
        return host.executive().pool().renderPoolUsed(sort == null ? ExecutivePool.PoolUsedSort.TAG : sort,
                sort == null ? flagsOrTag : null);
    }

    public String poolused(String flags, String tag) {
        ExecutivePool.PoolUsedSort sort = sort(flags);
        if (sort == null) {
            return "FLAGS must be a number (2: sort by non-paged, 4: by paged)\n" + usage("poolused");
        }
        return host.executive().pool().renderPoolUsed(sort, tag);
    }

    /** {@code !poolused}'s flags: 2 non-paged, 4 paged, else by tag; {@code null} when not a number. */
    private static ExecutivePool.PoolUsedSort sort(String flags) {
        int f;
        try {
            f = flags.toLowerCase().startsWith("0x") ? Integer.parseInt(flags.substring(2), 16) : Integer.parseInt(flags);
        } catch (NumberFormatException e) {
            return null;
        }
        return (f & 4) != 0 ? ExecutivePool.PoolUsedSort.PAGED
                : (f & 2) != 0 ? ExecutivePool.PoolUsedSort.NONPAGED : ExecutivePool.PoolUsedSort.TAG;
    }

    // -------------------------------------------------------------------------------- load / unload

    // -------------------------------------------------------------------------------------- poolmon

    /**
     * {@link PoolMonSession} over this host's pool. Gogo gives a command its session's streams as {@code System.in}
     * and {@code System.out} on the command's own thread only: the keys and the redraws after them use the session's,
     * the once-a-second refresh (another thread) the host's console, which is the session's in the interactive host.
     * In the kd shell bundle (issue 22) the command takes the session's keyboard and console instead.
     */
    public void poolmon() throws IOException {
        PoolMonSession.run(() -> host.executive().pool().usage(), System.in, System.out, Duration.ofSeconds(1));
    }

    public String load() {
        return usage("load");
    }

    public String load(String jarOrName) {
        if (isHelp(jarOrName)) {
            return usage("load");
        }
        Path jar = resolve(jarOrName);
        try {
            return host.load(jar).outcome().message();
        } catch (HostException e) {
            return "load: " + e.getMessage();
        }
    }

    private Path resolve(String jarOrName) {
        Path p = Path.of(jarOrName);
        if (Files.isRegularFile(p)) {
            return p;
        }
        String file = jarOrName.endsWith(".jar") ? jarOrName : jarOrName + ".jar";
        for (Path dir : List.of(host.settings().driversDir(), host.settings().home().resolve("samples"))) {
            if (Files.isRegularFile(dir.resolve(file))) {
                return dir.resolve(file);
            }
        }
        return p;
    }

    public String unload() {
        return usage("unload");
    }

    public String unload(String name) {
        if (isHelp(name)) {
            return usage("unload");
        }
        IoManager io = host.ioManager();
        var d = io.driver(name);
        if (d.isEmpty()) {
            NtStatus s = NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
            return "unload " + name + ": " + s + " (loaded: " + String.join(", ", io.drivers().keySet()) + ")";
        }
        if (!d.get().hasUnloadRoutine()) {
            NtStatus s = NtStatus.STATUS_INVALID_DEVICE_REQUEST;
            return "unload " + name + ": " + s + "; the driver has no DriverUnload and stays loaded";
        }
        List<String> notes = host.unloadDriver(name);
        return notes.isEmpty() ? name + ": driver unloaded" : String.join("\n", notes);
    }

    // ----------------------------------------------------------------------------------- allocators

    public String allocators() {
        Executive ex = host.executive();
        String selected = ex.selectedLookaside().name();
        StringBuilder sb = new StringBuilder();
        for (LookasideProvider p : new TreeMap<>(ex.lookasideProviders()).values()) {
            List<LookasideInfo> lists = p.lists();
            sb.append(p.name().equals(selected) ? "* " : "  ").append(p.name()).append("  ").append(lists.size()).append(" list(s)");
            List<String> owners = lists.stream().map(l -> l.owner().name()).distinct().sorted().toList();
            if (!owners.isEmpty()) {
                sb.append(" of ").append(String.join(", ", owners));
            }
            sb.append('\n');
        }
        return sb.append("(* serves new lists)\n").toString();
    }

    public String allocators(String action) {
        return usage("allocators");
    }

    public String allocators(String action, String name) {
        Executive ex = host.executive();
        try {
            switch (action) {
                case "select" -> {
                    ex.selectLookaside(name);
                    return "new lookaside lists use '" + name + "'; existing lists stay with their implementation";
                }
                case "remove" -> {
                    ex.removeLookaside(name);
                    return "lookaside implementation '" + name + "' removed";
                }
                default -> {
                    return usage("allocators");
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "allocators " + action + ": " + e.getMessage();
        }
    }

    // ------------------------------------------------------------------------------------- verifier

    public String verifier() {
        IoManager io = host.ioManager();
        Executive ex = host.executive();
        StringBuilder sb = new StringBuilder("Driver Verifier: " + (host.verifierByDefault() ? "on" : "off")
                + " for every driver\n");
        for (IoManager.LoadedDriver d : io.drivers().values()) {
            sb.append(String.format("  %-24s %s%n", d.name(), ex.pool().isVerified(d.owner()) ? "verified" : "not verified"));
        }
        return sb.toString();
    }

    public String verifier(String onOff) {
        Boolean on = onOff(onOff);
        if (on == null) {
            return usage("verifier");
        }
        host.setVerifierByDefault(on);
        return "Driver Verifier " + (on ? "on" : "off") + " for drivers loaded from now on";
    }

    public String verifier(String onOff, String name) {
        Boolean on = onOff(onOff);
        if (on == null) {
            return usage("verifier");
        }
        host.ioManager().setVerified(name, on);
        return "Driver Verifier " + (on ? "on" : "off") + " for " + name;
    }

    // ---------------------------------------------------------------------------------- specialpool

    public String specialpool() {
        List<String> tags = host.executive().pool().specialPoolTags();
        StringBuilder sb = new StringBuilder("Special pool by tag: " + (tags.isEmpty() ? "none" : String.join(" ", tags)) + "\n");
        for (IoManager.LoadedDriver d : host.ioManager().drivers().values()) {
            sb.append(String.format("  %-24s %s%n", d.name(), host.ioManager().isSpecialPool(d.name()) ? "special pool" : "-"));
        }
        return sb.toString();
    }

    public String specialpool(String onOff) {
        return usage("specialpool");
    }

    public String specialpool(String onOff, String name) {
        Boolean on = onOff(onOff);
        if (on == null) {
            return usage("specialpool");
        }
        host.ioManager().setSpecialPool(name, on);
        return "Special pool " + (on ? "on" : "off") + " for " + name;
    }

    public String specialpool(String onOff, String tagWord, String pattern) {
        Boolean on = onOff(onOff);
        if (on == null || !tagWord.equalsIgnoreCase("tag")) {
            return usage("specialpool");
        }
        try {
            host.executive().pool().setSpecialPoolTag(pattern, on);
        } catch (IllegalArgumentException e) {
            return "specialpool: " + e.getMessage();
        }
        return "Special pool " + (on ? "on" : "off") + " for blocks tagged " + pattern + " (allocated from now on)";
    }

    private static Boolean onOff(String s) {
        return switch (s.toLowerCase()) {
            case "on", "true", "1" -> Boolean.TRUE;
            case "off", "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    // ------------------------------------------------------------------------------------ bugchecks

    public String bugchecks() {
        List<BugCheckReport> all = host.ioManager().bugChecks();
        if (all.isEmpty()) {
            return "no bug checks\n";
        }
        StringBuilder sb = new StringBuilder();
        for (BugCheckReport r : all) {
            sb.append(DbgPrintLog.TIME.format(r.time())).append(' ').append(r.headline());
            Path file = host.crashReport(r);
            if (file != null) {
                sb.append("\n    crash report: ").append(file);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static boolean isHelp(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-?");
    }
}
