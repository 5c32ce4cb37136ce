package dev.ringzero.host.kd;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.IoManager;
import dev.ringzero.spi.memory.ExecutivePool;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code !analyze -v [N]}: one bug check the host caught, laid out as WinDbg's analysis is — the banner, the
 * stop code's name with the code in hex, the four arguments each named for the code and its sub-code, then the
 * debugging details under WinDbg's keys ({@code BUGCHECK_CODE}, {@code BUGCHECK_P1}..{@code P4},
 * {@code MODULE_NAME}, {@code IMAGE_NAME}, {@code STACK_TEXT}, {@code FAILURE_BUCKET_ID}) and Ringzero's own
 * ({@code DRIVER}, {@code PHASE}, {@code DETAIL}, the memory the driver holds). A dump holds one bug check;
 * the host collects them, so N picks one (from 1, as {@code bugchecks} numbers them), the last by default.
 * The memory state is the pool's now (it says how long after the bug check); the crash report written at the
 * time holds the state then.
 */
public final class BugCheckAnalysis {

    private static final String BANNER = "*".repeat(79);
    private static final int MAX_FRAMES = 40;

    private final IoManager io;
    private final Executive executive;
    private final Function<BugCheckReport, Path> crashReports;

    public BugCheckAnalysis(IoManager io, Executive executive, Function<BugCheckReport, Path> crashReports) {
        this.io = io;
        this.executive = executive;
        this.crashReports = crashReports;
    }

    /** {@code -v [N]}, as typed. */
    public String analyze(String... args) {
        if (args.length == 0 || !args[0].equals("-v") || args.length > 2) {
            throw new KdError("analyze: -v [N] (the last bug check, or the Nth as bugchecks numbers them)");
        }
        List<BugCheckReport> all = io.bugChecks();
        if (all.isEmpty()) {
            throw new KdError("analyze: no bug check has happened");
        }
        int n = all.size();
        if (args.length == 2) {
            long v = KdArgs.number("analyze", "N", args[1]);
            if (v < 1 || v > all.size()) {
                throw new KdError("analyze: N is " + args[1] + "; there are " + all.size() + " bug check(s), 1.." + all.size());
            }
            n = (int) v;
        }
        return render(all.get(n - 1), n, Instant.now());
    }

    String render(BugCheckReport r, int number, Instant now) {
        BugCheck b = r.bugCheck();
        int code = b.code().code();
        long[] p = {b.parameter1(), b.parameter2(), b.parameter3(), b.parameter4()};
        List<String> names = b.code().parametersFor(p[0]);
        StringBuilder sb = new StringBuilder();
        sb.append(BANNER).append('\n')
                .append(String.format("*%77s*%n", ""))
                .append(String.format("*%46s%31s*%n", "Bugcheck Analysis", ""))
                .append(String.format("*%77s*%n", ""))
                .append(BANNER).append("\n\n");
        sb.append(String.format(Locale.ROOT, "%s (%x)%n", b.code().name(), code));
        String subtype = b.code().subtype(p[0]);
        if (!subtype.isEmpty()) {
            sb.append(subtype).append('\n');
        }
        sb.append("Arguments:\n");
        for (int i = 0; i < 4; i++) {
            sb.append(String.format(Locale.ROOT, "Arg%d: %s, %s%n", i + 1, hex(p[i]), names.get(i)));
        }
        sb.append("\nDebugging Details:\n------------------\n\n");
        sb.append(String.format(Locale.ROOT, "BUGCHECK_CODE:  %x%n", code));
        for (int i = 0; i < 4; i++) {
            sb.append(String.format(Locale.ROOT, "BUGCHECK_P%d: %x%n", i + 1, p[i]));
        }
        sb.append('\n');
        if (!b.detail().isEmpty()) {
            sb.append("DETAIL:  ").append(b.detail()).append("\n\n");
        }
        var driver = io.driver(r.owner().name()).filter(d -> d.owner().equals(r.owner()));
        sb.append("DRIVER:  ").append(r.owner()).append(driver.map(d -> " (" + d.state().name().toLowerCase(Locale.ROOT) + ")")
                .orElse(" (unloaded)")).append('\n');
        sb.append("PHASE:  ").append(r.phase()).append('\n');
        sb.append("BUGCHECK_TIME:  ").append(r.time()).append(" (bug check ").append(number).append(" of ")
                .append(io.bugChecks().size()).append(")\n\n");
        sb.append("MODULE_NAME: ").append(r.owner().name()).append("\n\n");
        sb.append("IMAGE_NAME:  ").append(driver.map(d -> imageName(d.image().origin())).orElse(r.owner().name()))
                .append("\n\n");
        sb.append("STACK_TEXT:\n").append(stack(b)).append('\n');
        memory(sb, r, now);
        Path report = crashReports.apply(r);
        if (report != null) {
            sb.append("CRASH_REPORT:  ").append(report).append(" (the memory state at the time)\n\n");
        }
        sb.append(String.format(Locale.ROOT, "FAILURE_BUCKET_ID:  0x%X_%s%s%n", code,
                b.code().subtype(p[0]).isEmpty() ? "" : Long.toHexString(p[0]) + "_", r.owner().name()));
        return sb.toString();
    }

    /** The image's file name, as WinDbg names a driver's image ({@code forgetful-driver.jar}), from its origin. */
    static String imageName(String origin) {
        String o = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
        return o.substring(Math.max(o.lastIndexOf('/'), o.lastIndexOf('\\')) + 1);
    }

    private static String stack(BugCheck b) {
        Throwable t = b.getCause() != null ? b.getCause() : b;
        StringBuilder sb = new StringBuilder(t.toString()).append('\n');
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
            sb.append("    ").append(frames[i]).append('\n');
        }
        if (frames.length > MAX_FRAMES) {
            sb.append("    ... ").append(frames.length - MAX_FRAMES).append(" more frames\n");
        }
        return sb.toString();
    }

    private void memory(StringBuilder sb, BugCheckReport r, Instant now) {
        ExecutivePool pool = executive.pool();
        sb.append(String.format(Locale.ROOT, "MEMORY_STATE:  now, %.3f s after the bug check%n",
                Duration.between(r.time(), now).toMillis() / 1000.0));
        List<PoolBlockInfo> blocks = pool.outstanding(r.owner());
        sb.append("Pool blocks ").append(r.owner()).append(" holds: ").append(blocks.size()).append('\n');
        blocks.forEach(x -> sb.append("    ").append(x).append('\n'));
        List<LookasideInfo> lists = executive.lookasideRegistry().ownedBy(r.owner());
        sb.append("Lookaside lists ").append(r.owner()).append(" holds: ").append(lists.size()).append('\n');
        lists.forEach(l -> sb.append(String.format(Locale.ROOT, "    %08x %s tag %s, %d-byte entries, %d cached%n",
                l.address(), l.implementation(), PoolTag.toString(l.tag()), l.size(), l.currentDepth())));
        sb.append("Pool in use: ").append(pool.bytesInUse()).append(" bytes\n\n");
    }

    /** A parameter as an x86 debugger shows it: 8 hex digits, 16 when it does not fit 32 bits. */
    static String hex(long v) {
        return (v >>> 32) == 0 ? String.format(Locale.ROOT, "%08x", v) : String.format(Locale.ROOT, "%016x", v);
    }
}
