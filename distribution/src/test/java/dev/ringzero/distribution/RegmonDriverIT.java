package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringzero run samples/regmon-driver.jar}: the tutorial's RegMon lesson end to end. The driver's
 * two system threads allocate, use and free 1024-byte blocks for ten seconds of wall-clock time while the
 * host's real balance-set manager tunes the list; the report's {@code !lookaside} shows the tutorial's
 * 99 % hit rate.
 */
class RegmonDriverIT {

    @TempDir
    Path tmp;

    @Test
    void runShouldPrintRegMonsSummaryAndAFinalLookasideWithA99PercentHitRate() throws Exception {
        SampleRun r = SampleRun.ringzero(tmp, null, "run", SampleRun.sample("regmon-driver").toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stderr()).as("nothing on stderr").isEmpty();
        assertThat(r.stdout()).startsWith("", "RegMon: Entering DriverEntry");
        assertThat(r.stdout()).containsSubsequence(
                "RegMon: Lookaside list of 1024-byte log entries initialized, tag 'Regm'",
                "RegMon: Watching the registry from 2 system threads for 10 seconds, 66000 calls a second each",
                "RegMon: Thread #1 logged 660000 registry calls (0 allocation failures)",
                "RegMon: Thread #2 logged 660000 registry calls (0 allocation failures)",
                "RegMon: FreeMisses     = 0  Hit Rate = 100%",
                "RegMon: Lookaside list deleted",
                "RegMon: Leaving DriverEntry",
                "RegMon: DriverUnload: the list was deleted in DriverEntry, nothing left to free",
                "--- ringzero run: report ---",
                "RegMon: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded",
                "RegMon: DriverUnload returned; driver unloaded",
                "Lookaside lists (!lookaside, each just before its delete):");
        // one line per second, with the depth the balance-set manager left
        for (int second = 1; second <= 10; second++) {
            String prefix = String.format("RegMon: %3d s  TotalAllocates = ", second);
            assertThat(r.stdout()).anyMatch(l -> l.startsWith(prefix));
        }

        List<String> report = r.report();
        assertThat(report).doesNotContain("Bug checks:", "Host faults:");
        assertThat(report).anyMatch(l -> l.matches(" Regm Paged +(\\d+) +\\1 +0 +0 +0 +0"));
        assertThat(report).anyMatch(l -> l.startsWith("Lookaside \"\" @ ") && l.endsWith(" \"Regm\""));
        assertThat(report).contains("    Type           =       0001  PagedPool");
        assertThat(report).anyMatch(l -> l.matches("    Size           = +1024  Max Alloc  = +\\d+"));

        long totalAllocates = Long.parseLong(r.group("    TotalAllocates = +(\\d+)  TotalFrees = +\\d+"));
        long allocateMisses = Long.parseLong(r.group("    AllocateMisses = +(\\d+)  FreeMisses = +\\d+"));
        int hitRate = Integer.parseInt(r.group("    Hit Rate       = +(\\d+)% Hit Rate   = +\\d+%"));
        int maxDepth = Integer.parseInt(r.group("    Current Depth  = +\\d+  Max Depth  = +(\\d+)"));
        assertThat(totalAllocates).as("the tutorial's million allocations").isGreaterThan(1_000_000);
        assertThat(hitRate).as("!lookaside's allocate hit rate").isGreaterThanOrEqualTo(99)
                .isEqualTo((int) ((totalAllocates - allocateMisses) * 100 / totalAllocates));
        assertThat(maxDepth).as("the tuned Depth (Max Depth) within NT's bounds").isBetween(4, 256);
    }
}
