package dev.ringzero.host.kd;

import dev.ringzero.host.core.LoadedDriver;
import dev.ringzero.api.NtStatus;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.host.debugger.KdHelp;
import dev.ringzero.host.debugger.KernelDebugger;
import dev.ringzero.host.kd.MemoryCommands;
import dev.ringzero.host.poolmon.PoolMonSession;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.memory.ExecutivePool;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import dev.ringzero.host.launch.HostException;
import dev.ringzero.host.reports.DbgPrintLog;

/**
 * The host's kernel debugger ({@link KernelDebugger}), registered into Felix for the {@code kd} shell bundle:
 * {@code lm}, {@code lookaside}, {@code poolused}, {@code load}, {@code unload}, {@code allocators},
 * {@code verifier}, {@code specialpool}, {@code bugchecks}, and the memory commands of
 * {@link MemoryCommands} ({@code pool}, {@code poolfind}, {@code dt}, {@code db}/{@code dw}/{@code dd}/{@code dq},
 * {@code list}, {@code analyze}, {@code drvobj}). Each answers a call of the wrong shape, and {@code -h}, with
 * its usage line ({@link KdHelp}); {@code commands} lists them all.
 */
public final class KdCommands implements KernelDebugger {

    private final KdHost host;
    private final MemoryCommands memory;

    public KdCommands(KdHost host) {
        this.host = host;
        this.memory = host == null ? null : new MemoryCommands(host.ioManager(), host.executive(), host::crashReport);
    }

    private static String usage(String command) {
        return KdHelp.usage(command);
    }

    @Override
    public String commands() {
        StringBuilder sb = new StringBuilder("Ringzero kernel debugger commands (scope kd; help kd:NAME or NAME -h for one):\n");
        KdHelp.SYNOPSIS.values().forEach(u -> sb.append("  ").append(u).append('\n'));
        return sb.toString();
    }

    /** {@code usage} when {@code args} ask for help or their count is outside {@code min..max}, else null. */
    private static String misuse(String command, String[] args, int min, int max) {
        return KdHelp.isHelp(args) || args.length < min || args.length > max ? usage(command) : null;
    }

    // ------------------------------------------------------------------------------------------- lm

    private String lm() {
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
        for (LoadedDriver d : io.drivers().values()) {
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

    private String lookaside() {
        return host.executive().lookasideRegistry().renderAll();
    }

    private String lookaside(String address) {
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
    private String lookaside(String address, String option) {
        return lookaside(host.executive().lookasideRegistry(), address, option, null);
    }

    /** {@code !lookaside ADDRESS 2 DEPTH}: sets the list's {@code Depth} and dumps it. */
    private String lookaside(String address, String option, String depth) {
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

    private String poolused() {
        return host.executive().pool().renderPoolUsed(ExecutivePool.PoolUsedSort.TAG, null);
    }

    private String poolused(String flagsOrTag) {
        if (isHelp(flagsOrTag)) {
            return usage("poolused");
        }
        ExecutivePool.PoolUsedSort sort = sort(flagsOrTag);
        return host.executive().pool().renderPoolUsed(sort == null ? ExecutivePool.PoolUsedSort.TAG : sort,
                sort == null ? flagsOrTag : null);
    }

    private String poolused(String flags, String tag) {
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

    // -------------------------------------------------------------------------------------- poolmon

    /**
     * {@link PoolMonSession} over this host's pool, on the shell session's keyboard and console (the kd shell
     * bundle passes them), refreshed every second until {@code Q}.
     */
    @Override
    public String poolmon(InputStream keys, PrintStream console, String... args) throws IOException {
        String u = misuse("poolmon", args, 0, 0);
        if (u != null) {
            return u;
        }
        PoolMonSession.run(() -> host.executive().pool().usage(), keys, console, Duration.ofSeconds(1));
        return null;
    }

    // -------------------------------------------------------------------------------- load / unload

    private String load() {
        return usage("load");
    }

    private String load(String jarOrName) {
        if (isHelp(jarOrName)) {
            return usage("load");
        }
        Path jar = resolve(jarOrName);
        try {
            String outcome = host.loadJar(jar).message();
            return host.outcomesEchoed() ? null : outcome;   // the console showed it (and any bug check) already
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
        for (Path dir : host.driverFolders()) {
            if (Files.isRegularFile(dir.resolve(file))) {
                return dir.resolve(file);
            }
        }
        return p;
    }

    private String unload() {
        return usage("unload");
    }

    private String unload(String name) {
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
        if (host.outcomesEchoed()) {
            return null;   // the console showed the unload and what it found
        }
        return notes.isEmpty() ? name + ": driver unloaded" : String.join("\n", notes);
    }

    // ----------------------------------------------------------------------------------- allocators

    // issue 21: the catalog knows each implementation's version and jar, and what became of a removed jar's
    private String allocators() {
        return host.allocators().render();
    }

    private String allocators(String action) {
        return usage("allocators");
    }

    private String allocators(String action, String name) {
        return switch (action) {
            case "select" -> host.allocators().select(name);
            case "remove" -> host.allocators().remove(name);
            default -> usage("allocators");
        };
    }

    // ------------------------------------------------------------------------------------- verifier

    private String verifier() {
        IoManager io = host.ioManager();
        Executive ex = host.executive();
        StringBuilder sb = new StringBuilder("Driver Verifier: " + (host.verifierByDefault() ? "on" : "off")
                + " for every driver\n");
        for (LoadedDriver d : io.drivers().values()) {
            sb.append(String.format("  %-24s %s%n", d.name(), ex.pool().isVerified(d.owner()) ? "verified" : "not verified"));
        }
        return sb.toString();
    }

    private String verifier(String onOff) {
        Boolean on = onOff(onOff);
        if (on == null) {
            return usage("verifier");
        }
        host.setVerifierByDefault(on);
        return "Driver Verifier " + (on ? "on" : "off") + " for drivers loaded from now on";
    }

    private String verifier(String onOff, String name) {
        Boolean on = onOff(onOff);
        if (on == null) {
            return usage("verifier");
        }
        host.ioManager().setVerified(name, on);
        return "Driver Verifier " + (on ? "on" : "off") + " for " + name;
    }

    // ---------------------------------------------------------------------------------- specialpool

    private String specialpool() {
        List<String> tags = host.executive().pool().specialPoolTags();
        StringBuilder sb = new StringBuilder("Special pool by tag: " + (tags.isEmpty() ? "none" : String.join(" ", tags)) + "\n");
        for (LoadedDriver d : host.ioManager().drivers().values()) {
            sb.append(String.format("  %-24s %s%n", d.name(), host.ioManager().isSpecialPool(d.name()) ? "special pool" : "-"));
        }
        return sb.toString();
    }

    private String specialpool(String onOff) {
        return usage("specialpool");
    }

    private String specialpool(String onOff, String name) {
        Boolean on = onOff(onOff);
        if (on == null) {
            return usage("specialpool");
        }
        host.ioManager().setSpecialPool(name, on);
        return "Special pool " + (on ? "on" : "off") + " for " + name;
    }

    private String specialpool(String onOff, String tagWord, String pattern) {
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

    private String bugchecks() {
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

    // ------------------------------------------------------------------ KernelDebugger: the shell's entry points

    @Override
    public String lm(String... args) {
        String u = misuse("lm", args, 0, 0);
        return u != null ? u : lm();
    }

    @Override
    public String lookaside(String... args) {
        String u = misuse("lookaside", args, 0, 3);
        return u != null ? u : switch (args.length) {
            case 0 -> lookaside();
            case 1 -> lookaside(args[0]);
            case 2 -> lookaside(args[0], args[1]);
            default -> lookaside(args[0], args[1], args[2]);
        };
    }

    @Override
    public String poolused(String... args) {
        String u = misuse("poolused", args, 0, 2);
        return u != null ? u : switch (args.length) {
            case 0 -> poolused();
            case 1 -> poolused(args[0]);
            default -> poolused(args[0], args[1]);
        };
    }

    @Override
    public String load(String... args) {
        String u = misuse("load", args, 1, 1);
        return u != null ? u : load(args[0]);
    }

    @Override
    public String unload(String... args) {
        String u = misuse("unload", args, 1, 1);
        return u != null ? u : unload(args[0]);
    }

    @Override
    public String allocators(String... args) {
        String u = misuse("allocators", args, 0, 2);
        return u != null ? u : switch (args.length) {
            case 0 -> allocators();
            case 1 -> allocators(args[0]);
            default -> allocators(args[0], args[1]);
        };
    }

    @Override
    public String verifier(String... args) {
        String u = misuse("verifier", args, 0, 2);
        return u != null ? u : switch (args.length) {
            case 0 -> verifier();
            case 1 -> verifier(args[0]);
            default -> verifier(args[0], args[1]);
        };
    }

    @Override
    public String specialpool(String... args) {
        String u = misuse("specialpool", args, 0, 3);
        return u != null ? u : switch (args.length) {
            case 0 -> specialpool();
            case 1 -> specialpool(args[0]);
            case 2 -> specialpool(args[0], args[1]);
            default -> specialpool(args[0], args[1], args[2]);
        };
    }

    @Override
    public String bugchecks(String... args) {
        String u = misuse("bugchecks", args, 0, 0);
        return u != null ? u : bugchecks();
    }

    @Override
    public String pool(String... args) {
        return KdHelp.isHelp(args) ? usage("pool") : memory.pool(args);
    }

    @Override
    public String poolfind(String... args) {
        return KdHelp.isHelp(args) ? usage("poolfind") : memory.poolfind(args);
    }

    @Override
    public String dt(String... args) {
        return KdHelp.isHelp(args) ? usage("dt") : memory.dt(args);
    }

    @Override
    public String db(String... args) {
        return KdHelp.isHelp(args) ? usage("db") : memory.db(args);
    }

    @Override
    public String dw(String... args) {
        return KdHelp.isHelp(args) ? usage("dw") : memory.dw(args);
    }

    @Override
    public String dd(String... args) {
        return KdHelp.isHelp(args) ? usage("dd") : memory.dd(args);
    }

    @Override
    public String dq(String... args) {
        return KdHelp.isHelp(args) ? usage("dq") : memory.dq(args);
    }

    @Override
    public String list(String... args) {
        return KdHelp.isHelp(args) || args.length == 0 ? usage("list") : memory.list(args);
    }

    @Override
    public String analyze(String... args) {
        return KdHelp.isHelp(args) ? usage("analyze") : memory.analyze(args);
    }

    @Override
    public String drvobj(String... args) {
        return KdHelp.isHelp(args) ? usage("drvobj") : memory.drvobj(args);
    }

    private static boolean isHelp(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-?");
    }
}
