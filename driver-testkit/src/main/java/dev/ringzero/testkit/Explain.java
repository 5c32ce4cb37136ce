package dev.ringzero.testkit;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/** The words of the kit's failure messages: bug checks, leaks and transcripts as a driver author reads them. */
final class Explain {

    /** The kit's own classes, named: a driver (the kit's own test drivers) may share the kit's package. */
    private static final Set<String> KIT_CLASSES = Set.of(DriverHarness.class.getName(), DriverRun.class.getName(),
            DriverTestExtension.class.getName(), DbgPrintPattern.class.getName(),
            DriverNames.class.getName(), Explain.class.getName());

    private Explain() {
    }

    /**
     * <pre>
     * *** STOP: BAD_POOL_CALLER (0xC2) (0x00000007, ...): double free ... [driver MyDriver, during DriverEntry]
     *     Arg1: 0x00000007, violation type
     *     ...
     *     raised at com.example.MyDriver.DriverEntry(MyDriver.java:42)
     * </pre>
     */
    static String bugCheck(BugCheckReport report, Predicate<StackTraceElement> driverFrame) {
        StringBuilder sb = new StringBuilder(report.headline()).append('\n');
        report.bugCheck().describeParameters().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
        StackTraceElement at = firstFrame(report.bugCheck(), driverFrame);
        if (at != null) {
            sb.append("    raised at ").append(at).append('\n');
        }
        return sb.toString();
    }

    /**
     * The driver's line that raised the bug check: in the bug check's stack (then its causes'), the
     * first frame of the driver's code above the host. Frames below the first host or kit frame are
     * the host's callers — the test method, say, which may share the driver's package — so a bug check
     * the host raised itself (the verifier's leak check at unload) names no line.
     */
    static StackTraceElement firstFrame(BugCheck bugCheck, Predicate<StackTraceElement> driverFrame) {
        for (Throwable t = bugCheck; t != null; t = t.getCause()) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (isHostOrKit(e)) {
                    break;
                }
                if (driverFrame.test(e)) {
                    return e;
                }
            }
        }
        return null;
    }

    private static boolean isHostOrKit(StackTraceElement frame) {
        String c = frame.getClassName();
        int nested = c.indexOf('$');
        return c.startsWith("dev.ringzero.host.") || KIT_CLASSES.contains(nested < 0 ? c : c.substring(0, nested));
    }

    /**
     * <pre>
     *     80001010      32 bytes  NonPagedPool  tag 'Hlo1'  allocated at com.example.MyDriver.DriverEntry(MyDriver.java:31)
     * </pre>
     */
    static String block(PoolBlockInfo b) {
        return String.format(Locale.ROOT, "%08X %8d bytes  %-12s  tag '%s'%s", b.address(), b.size(),
                PoolType.baseName(b.poolType()), PoolTag.toString(b.tag()),
                b.allocationSite() == null ? "" : "  allocated at " + b.allocationSite());
    }

    /** {@code 80000010  lookaside list, tag 'Wasm', PagedPool, 20-byte entries (nt)}. */
    static String list(LookasideInfo l) {
        return String.format(Locale.ROOT, "%08X  lookaside list, tag '%s', %s, %d-byte entries (%s)", l.address(),
                PoolTag.toString(l.tag()), PoolType.describe(l.type()), l.size(), l.implementation());
    }

    /** The lines, numbered from 1, with {@code >} before line {@code mark} (1-based; 0 for none). */
    static String transcript(List<String> lines, int mark) {
        if (lines.isEmpty()) {
            return "    (no DbgPrint output)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(i + 1 == mark ? "  > " : "    ").append(String.format(Locale.ROOT, "%3d  ", i + 1))
                    .append(lines.get(i)).append('\n');
        }
        return sb.toString();
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
