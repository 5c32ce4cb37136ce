package dev.ringzero.host.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.host.core.BugCheckPhase;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunReportTest {

    private static final String STATUS_LINE =
            "LookasideList: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded";

    @Test
    void poolmonShouldListEachTagAndPoolWithPoolMonsColumns() {
        String table = RunReport.poolmon(List.of(
                new PoolTagUsage(PoolTag.fromDisplay("Wasm"), true, 6, 4, 40),
                new PoolTagUsage(PoolTag.fromDisplay("MmLd"), false, 1, 1, 0)));
        assertThat(table.lines()).containsExactly(
                " Tag  Type      Allocs      Frees  Reclaimed       Diff      Bytes  Per Alloc",
                " MmLd Nonp           1          1          0          0          0          0",
                " Wasm Paged          6          4          0          2         40         20");
    }

    @Test
    void blocksTheHostReclaimedShouldNotCountAsTheDriversFrees() {
        // a driver freed 2 of its 3 blocks; the host reclaimed the third at unload, which the pool counts as a free
        int tag = PoolTag.fromDisplay("Kept");
        String table = RunReport.poolmon(List.of(new PoolTagUsage(tag, false, 3, 3, 0)),
                (t, paged) -> t == tag && !paged ? 1 : 0);
        assertThat(table.lines()).containsExactly(
                " Tag  Type      Allocs      Frees  Reclaimed       Diff      Bytes  Per Alloc",
                " Kept Nonp           3          2          1          0          0          0");
    }

    @Test
    void poolmonShouldSayWhenThereWasNoActivity() {
        assertThat(RunReport.poolmon(List.of())).contains("(no pool activity)");
    }

    @Test
    void reportShouldPrintStatusLinesUnchangedThenUnloadNotesThenTheDumps() {
        DriverOutcome failed = new DriverOutcome("LookasideList", DriverState.UNLOADED,
                NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR, null, STATUS_LINE, List.of("Lookaside \"\" @ 80010010 \"Wasm\"\n    Type = 1"));
        DriverOutcome loaded = new DriverOutcome("Good", DriverState.LOADED, NtStatus.STATUS_SUCCESS, null,
                "Good: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded", List.of());
        String report = RunReport.render(
                List.of(new RunReport.Entry(failed, List.of()),
                        new RunReport.Entry(loaded, List.of("Good: DriverUnload returned; driver unloaded"))),
                List.of(new PoolTagUsage(PoolTag.fromDisplay("Wasm"), true, 6, 6, 0)), List.of(), List.of());
        assertThat(report.lines()).containsSubsequence(
                RunReport.TITLE,
                "Drivers:",
                STATUS_LINE,
                "Good: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded",
                "Good: DriverUnload returned; driver unloaded",
                "Pool activity (per tag and pool type):",
                " Wasm Paged          6          6          0          0          0          0",
                "Lookaside lists (!lookaside, each just before its delete):",
                "Lookaside \"\" @ 80010010 \"Wasm\"",
                "    Type = 1");
        assertThat(report).doesNotContain("Bug checks:", "Host faults:");
    }

    @Test
    void reportShouldListBugChecksWithTheirCrashReports() {
        BugCheck b = new BugCheck(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, 0xC0000001L, 0, 0, 0, "boom");
        BugCheckReport r = new BugCheckReport(new Owner("Faulty", 1), BugCheckPhase.DRIVER_ENTRY, b, Instant.EPOCH);
        String report = RunReport.render(List.of(), List.of(), List.of(new RunReport.Stop(r, Path.of("log/crash.txt"))),
                List.of("the DbgPrint console failed"));
        assertThat(report.lines()).containsSubsequence("Drivers:", "(none loaded)", "Bug checks:", r.headline(),
                "    crash report: log/crash.txt", "Host faults:", "the DbgPrint console failed");
    }
}
