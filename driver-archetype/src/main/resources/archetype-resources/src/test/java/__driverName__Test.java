package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringzero.api.NtStatus;
import dev.ringzero.testkit.DriverHarness;
import dev.ringzero.testkit.DriverRun;
import dev.ringzero.testkit.DriverTest;
import org.junit.jupiter.api.Test;

/**
 * Runs ${driverName} in-process, on the host's lifecycle core, with the Driver Verifier on: a leak, an
 * undeleted lookaside list or a misuse of the pool fails the test with the bug check and the line.
 */
@DriverTest(verifier = true)
class ${driverName}Test {

    @Test
    void shouldQueueThreeRequestsAndCompleteThemAtUnload(DriverHarness kd) {
        DriverRun run = kd.load(${driverName}.class).assertStatus(NtStatus.STATUS_SUCCESS);
        kd.tick(3);                                   // the balance-set manager visits each list every 3 seconds
        assertEquals(NtStatus.STATUS_SUCCESS, kd.unload("${driverName}"));

        run.assertDbgPrint(                           // DbgPrint formats: %08X matches any address
                "${driverName}: Entering DriverEntry",
                "${driverName}: Lookaside list at %08X initialized",
                "${driverName}: Request #1 queued at %08X",
                "${driverName}: Request #2 queued at %08X",
                "${driverName}: Request #3 queued at %08X",
                "${driverName}: Leaving DriverEntry",
                "${driverName}: Entering DriverUnload",
                "${driverName}: Request #1 (64 bytes) completed",
                "${driverName}: Request #2 (128 bytes) completed",
                "${driverName}: Request #3 (192 bytes) completed",
                "${driverName}: Lookaside list deleted",
                "${driverName}: Leaving DriverUnload");
        kd.assertNoLeaks();
        kd.assertNoBugChecks();
    }

    @Test
    @DriverTest(lookaside = "nt")                     // no verifier: the list caches entries, as NT's does
    void shouldShowTheListInLookasideWhileLoaded(DriverHarness kd) {
        kd.load(${driverName}.class).assertStatus(NtStatus.STATUS_SUCCESS);

        String dump = kd.lookaside().renderAll();     // the debugger's !lookaside
        assertTrue(dump.contains("\"${poolTag}\""), dump);
        assertEquals(NtStatus.STATUS_SUCCESS, kd.unload("${driverName}"));
        kd.assertNoLeaks();
    }
}
