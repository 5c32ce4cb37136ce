package dev.ringzero.drivers.forgetful;

import static dev.ringzero.api.memory.NtLayouts.PAGED_LOOKASIDE_LIST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.NtStatus;
import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.testkit.DriverHarness;
import dev.ringzero.testkit.DriverRun;
import dev.ringzero.testkit.DriverTest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tutorial's warning, in-process: a paged lookaside list whose header is freed without
 * {@code ExDeletePagedLookasideList}, on each lookaside implementation. The balance-set manager is ticked by hand.
 */
class ForgetfulDriverTest {

    private static int header(DriverRun run) {
        String line = run.dbgPrint().stream().filter(l -> l.startsWith("Forgetful: Nonpaged memory for lookaside list allocated"))
                .findFirst().orElseThrow(() -> new AssertionError("no allocation line in " + run.dbgPrint()));
        return Integer.parseUnsignedInt(line.substring(line.length() - 8), 16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    @DriverTest(verifier = false)
    void withoutTheVerifierTheNextScanOfThePagedListsShouldBugCheck0xCE(String implementation, DriverHarness kd) {
        kd.selectLookaside(implementation);
        DriverRun run = kd.load(Forgetful.class).assertStatus(NtStatus.STATUS_SUCCESS);
        int header = header(run);
        assertTrue(run.loaded());
        assertEquals("Forgetful: Leaving DriverEntry; the balance-set manager will find the list gone at its next scan",
                run.dbgPrint().getLast());
        assertEquals(List.of(), kd.bugChecks(), "the free itself is allowed without the verifier");

        kd.tick(3);                                      // one full round: the paged lists are scanned once

        assertEquals(1, kd.bugChecks().size(), () -> "one bug check: " + kd.bugChecks());
        BugCheckReport r = kd.bugChecks().getFirst();
        assertEquals("Forgetful", r.owner().name());
        assertEquals("lookaside scan", r.phase());
        BugCheck b = r.bugCheck();
        assertEquals(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, b.code());
        assertEquals(0xCE, b.code().code());
        assertEquals(Integer.toUnsignedLong(header), b.parameter1(), "P1: the memory referenced, the list's header");
        assertEquals(0, b.parameter2(), "P2: 0, a read");
        assertEquals(List.of(), kd.lookaside().lists(), "the tuner dropped the list and goes on");

        kd.tick(3);                                      // the host keeps running: no second report
        assertEquals(1, kd.bugChecks().size());

        assertEquals(NtStatus.STATUS_SUCCESS, kd.unload("Forgetful"));
        assertEquals("Forgetful: DriverUnload: nothing to delete, I think", run.dbgPrint().getLast());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    @DriverTest(verifier = false)
    void aListForgottenByAnUnloadedDriverShouldBeFoundByTheTunersNextRound(String implementation, DriverHarness kd) {
        kd.selectLookaside(implementation);
        DriverRun run = kd.load(Forgetful.class).assertStatus(NtStatus.STATUS_SUCCESS);
        int header = header(run);
        assertEquals(NtStatus.STATUS_SUCCESS, kd.unload("Forgetful"));   // as `ringzero run` does right after loading
        assertEquals(List.of(), kd.bugChecks(), "nothing is found at unload without the verifier");
        assertEquals(1, kd.lookaside().lists().size(), "the list stays registered");

        kd.tick(3);

        assertEquals(1, kd.bugChecks().size(), () -> "one bug check: " + kd.bugChecks());
        BugCheck b = kd.bugChecks().getFirst().bugCheck();
        assertEquals(0xCE, b.code().code());
        assertEquals(Integer.toUnsignedLong(header), b.parameter1());
        assertEquals("Forgetful", kd.bugChecks().getFirst().owner().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    @DriverTest(verifier = true)
    void withTheVerifierTheFreeItselfShouldBugCheck0xC4With0xCC(String implementation, DriverHarness kd) {
        kd.selectLookaside(implementation);
        DriverRun run = kd.load(Forgetful.class);

        assertNull(run.status(), "DriverEntry never returned: it bug-checked");
        assertFalse(run.loaded());
        BugCheck b = run.bugCheck().orElseThrow(() -> new AssertionError("no bug check: " + run.hostMessage()));
        assertEquals(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, b.code());
        assertEquals(0xCC, b.parameter1(), "P1 0xCC: freeing pool that holds an active lookaside list");
        int header = header(run);
        assertEquals(Integer.toUnsignedLong(header), b.parameter2(), "P2: the lookaside list's address");
        assertEquals(Integer.toUnsignedLong(header), b.parameter3(), "P3: the pool block's start (the header is the whole block)");
        assertEquals(PAGED_LOOKASIDE_LIST.byteSize(), b.parameter4(), "P4: the pool block's size");
        assertEquals("Forgetful: Lookaside list NOT deleted (ExDeletePagedLookasideList forgotten)", run.dbgPrint().getLast(),
                "nothing after the free ran");
        BugCheckReport first = kd.bugChecks().getFirst();
        assertEquals("DriverEntry", first.phase());
        assertEquals("Forgetful", first.owner().name());

        kd.tick(3);                                      // nothing is left for the tuner to find
        assertTrue(kd.bugChecks().stream().noneMatch(r -> r.bugCheck().code().code() == 0xCE), kd.bugChecks()::toString);
    }
}
