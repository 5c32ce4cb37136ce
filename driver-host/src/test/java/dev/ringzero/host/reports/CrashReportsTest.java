package dev.ringzero.host.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Owner;
import dev.ringzero.host.core.BugCheckPhase;
import dev.ringzero.host.core.BugCheckReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashReportsTest {

    @TempDir
    Path log;

    @Test
    void twoBugChecksOfOneDriverInOneMillisecondShouldGetAReportEach() throws IOException {
        Owner owner = new Owner("Twice", 1);
        Instant now = Instant.parse("2026-12-02T07:00:00.123Z");
        BugCheck first = new BugCheck(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, 0, 0, 0, 1, "first");
        BugCheck second = new BugCheck(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, 0, 1, 0, 0, "second");
        CrashReports reports = new CrashReports(log);

        Path a = reports.write(new BugCheckReport(owner, BugCheckPhase.Teardown.UNLOAD, first, now), null);
        Path b = reports.write(new BugCheckReport(owner, new BugCheckPhase.SystemThread("Twice", "thread T"), second, now), null);

        assertThat(a).isNotEqualTo(b);
        assertThat(a.getFileName().toString()).isEqualTo("bugcheck-20261202T070000.123Z-Twice-0xCE.txt");
        assertThat(b.getFileName().toString()).isEqualTo("bugcheck-20261202T070000.123Z-Twice-0xCE-2.txt");
        assertThat(Files.readString(a)).contains("Detail:  first");
        assertThat(Files.readString(b)).contains("Detail:  second");
    }
}
