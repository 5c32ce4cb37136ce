package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringzero run samples/forgetful-driver.jar}: "In case you forget to call ExDeletePagedLookasideList
 * … you will see BSOD". The driver frees its list's header without deleting the list.
 */
class ForgetfulDriverIT {

    private static final String FORGOT = "Forgetful: Lookaside list NOT deleted (ExDeletePagedLookasideList forgotten)";

    @TempDir
    Path tmp;

    /**
     * Without the verifier the free succeeds and the balance-set manager's next scan of the paged lists finds
     * the header gone. {@code run} waits one tuner round for lists that unloaded drivers left registered, so
     * the forgotten list is scanned even when Forgetful is the only driver.
     */
    @Test
    void aLoneRunShouldWaitForTheTunersScanAndReport0xCE() throws Exception {
        SampleRun r = SampleRun.ringzero(tmp, null, "run", SampleRun.sample("forgetful-driver").toString());

        assertThat(r.exitCode()).as("a bug check: exit code 3; %s", r).isEqualTo(3);
        assertThat(r.stderr()).as("nothing on stderr").isEmpty();
        String header = r.group("Forgetful: Nonpaged memory for lookaside list allocated at address ([0-9A-F]{8})");
        assertThat(r.report()).anyMatch(l -> l.startsWith("*** STOP: DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS"
                + " (0xCE) (0x" + header + ", ") && l.endsWith("[driver Forgetful, during lookaside scan]"));
    }

    /**
     * Loaded before RegMon, whose {@code DriverEntry} runs for five seconds, the forgotten list is found while
     * the host goes on serving another driver: RegMon's list is tuned and deleted normally.
     */
    @Test
    void withoutTheVerifierTheTunersNextScanShouldReport0xCEAndTheHostGoOn() throws Exception {
        SampleRun r = SampleRun.ringzero(tmp, "-Dringzero.regmon.seconds=5", "run",
                SampleRun.sample("forgetful-driver").toString(), SampleRun.sample("regmon-driver").toString());

        assertThat(r.exitCode()).as("a bug check: exit code 3; %s", r).isEqualTo(3);
        assertThat(r.stderr()).as("nothing on stderr").isEmpty();
        assertThat(r.stdout()).containsSubsequence(
                "Forgetful: Entering DriverEntry",
                "Forgetful: Lookaside list initialized, tag 'Frgt'",
                FORGOT,
                "Forgetful: Leaving DriverEntry; the balance-set manager will find the list gone at its next scan",
                "RegMon: Entering DriverEntry",
                "RegMon: Leaving DriverEntry",
                "--- ringzero run: report ---",
                "Forgetful: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded",
                "RegMon: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded",
                "Bug checks:");
        String header = r.group("Forgetful: Nonpaged memory for lookaside list allocated at address ([0-9A-F]{8})");
        String stop = "*** STOP: DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS (0xCE) (0x" + header
                + ", 0x00000000, 0x00000000, 0x00000000): ";
        assertThat(r.report()).anyMatch(l -> l.startsWith(stop) && l.endsWith("[driver Forgetful, during lookaside scan]"));
        assertThat(r.report()).as("one bug check, the forgotten list's").filteredOn(l -> l.startsWith("*** STOP: ")).hasSize(1);
        // the host kept running: RegMon's list was tuned and deleted normally
        assertThat(r.report()).anyMatch(l -> l.startsWith("Lookaside \"\" @ ") && l.endsWith(" \"Regm\""));

        Path crashReport = Path.of(r.group("    crash report: (.*-Forgetful-0xCE\\.txt)"));
        assertThat(crashReport).isRegularFile();
        assertThat(Files.readString(crashReport)).contains("0xCE");
    }

    /** With the verifier, freeing pool that holds a live lookaside list is caught at the free: 0xC4/0xCC. */
    @Test
    void withTheVerifierTheFreeItselfShouldBeBugCheck0xC4With0xCC() throws Exception {
        SampleRun r = SampleRun.ringzero(tmp, null, "run", "--verify", "Forgetful",
                SampleRun.sample("forgetful-driver").toString());

        assertThat(r.exitCode()).as("a bug check: exit code 3; %s", r).isEqualTo(3);
        assertThat(r.stderr()).as("nothing on stderr").isEmpty();
        assertThat(r.stdout()).containsSubsequence("Forgetful: Entering DriverEntry", FORGOT, "--- ringzero run: report ---");
        assertThat(r.stdout()).as("DriverEntry ends at the free")
                .noneMatch(l -> l.startsWith("Forgetful: Nonpaged memory for lookaside list at address"));
        String header = r.group("Forgetful: Nonpaged memory for lookaside list allocated at address ([0-9A-F]{8})");
        // P1 0xCC, P2 the lookaside list, P3 the pool block's start, P4 its size (sizeof(PAGED_LOOKASIDE_LIST), 0x68)
        String stop = "*** STOP: DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4) (0x000000CC, 0x" + header + ", 0x" + header
                + ", 0x00000068): ";
        assertThat(r.report()).anyMatch(l -> l.startsWith(stop) && l.endsWith("[driver Forgetful, during DriverEntry]"));
        assertThat(r.report()).noneMatch(l -> l.contains("(0xCE)"));
    }
}
