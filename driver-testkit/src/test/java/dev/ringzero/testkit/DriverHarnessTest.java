package dev.ringzero.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringzero.api.NtStatus;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The kit as a driver author uses it: through {@link DriverTest} and an injected {@link DriverHarness}. */
class DriverHarnessTest {

    @Nested
    @DriverTest(verifier = true)
    class UnderTheVerifier {

        @Test
        void shouldRunAWellBehavedDriverAndFindNothingWrong(DriverHarness kd) {
            DriverRun run = kd.load(TestDrivers.Clean.class).assertStatus(NtStatus.STATUS_SUCCESS);
            assertTrue(run.loaded());
            assertEquals("Clean", run.name());
            kd.tick(3);
            assertEquals(NtStatus.STATUS_SUCCESS, kd.unload("Clean"));
            assertFalse(run.loaded());

            List<String> values = run.assertDbgPrint(
                    "Clean: Entering DriverEntry",
                    "Clean: lookaside list at %08X, %d-byte entries",
                    "Clean: unloaded");
            assertEquals("32", values.get(1));
            assertTrue(Integer.parseUnsignedInt(values.getFirst(), 16) < 0xC000_0000, "non-paged: " + values.getFirst());
            kd.assertNoLeaks();
            kd.assertNoBugChecks();
        }

        @Test
        void shouldNameTheLeakedBlockItsTagAndTheLineThatAllocatedIt(DriverHarness kd) {
            kd.load(TestDrivers.Leaky.class).assertStatus(NtStatus.STATUS_SUCCESS);
            kd.unload("Leaky");

            AssertionError leak = assertThrows(AssertionError.class, kd::assertNoLeaks);
            assertContains(leak.getMessage(), "Leaky#1 unloaded without freeing 1 pool block:");
            assertContains(leak.getMessage(), "      24 bytes  NonPagedPool  tag 'Leak'  allocated at "
                    + "dev.ringzero.testkit.TestDrivers$Leaky.DriverEntry(TestDrivers.java:");
            // the verifier also bug-checks the unload: 0xC4, 0x62
            AssertionError stop = assertThrows(AssertionError.class, kd::assertNoBugChecks);
            assertContains(stop.getMessage(), "DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4) (0x00000062");
            assertContains(stop.getMessage(), "Arg1: 0x00000062, violation type");
            assertContains(stop.getMessage(), "[driver Leaky, during unload]");
            assertFalse(stop.getMessage().contains("raised at"), "the host raised it, not a line of the driver:\n" + stop.getMessage());
        }

        @Test
        void shouldListALookasideListTheDriverNeverDeleted(DriverHarness kd) {
            kd.load(TestDrivers.ForgetsItsList.class).assertStatus(NtStatus.STATUS_UNSUCCESSFUL);

            AssertionError leak = assertThrows(AssertionError.class, kd::assertNoLeaks);
            assertContains(leak.getMessage(), "deleting 1 lookaside list:");
            assertContains(leak.getMessage(), "lookaside list, tag 'Leak', NonPagedPool, 32-byte entries (nt)");
            assertContains(leak.getMessage(), "without freeing 1 pool block:");
        }

        @Test
        void shouldNameTheBugCheckItsParametersAndTheDriverLineThatRaisedIt(DriverHarness kd) {
            DriverRun run = kd.load(TestDrivers.DoubleFree.class);

            AssertionError e = assertThrows(AssertionError.class, () -> run.assertStatus(NtStatus.STATUS_SUCCESS));
            assertContains(e.getMessage(), "DoubleFree: expected DriverEntry to return STATUS_SUCCESS (0x00000000),"
                    + " but the driver bug-checked:\n*** STOP: DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4) (0x00000014");
            assertContains(e.getMessage(), "    Arg1: 0x00000014, violation type");
            assertContains(e.getMessage(), "    raised at dev.ringzero.testkit.TestDrivers$DoubleFree.DriverEntry(TestDrivers.java:");
            assertEquals(1, kd.bugChecks().size());
            assertThrows(AssertionError.class, kd::assertNoBugChecks);
        }
    }

    @Nested
    @DriverTest
    class WithoutTheVerifier {

        @Test
        void shouldReportALeakWithoutTheVerifierToo(DriverHarness kd) {
            kd.load(TestDrivers.Leaky.class);
            kd.unload("Leaky");

            AssertionError leak = assertThrows(AssertionError.class, kd::assertNoLeaks);
            assertContains(leak.getMessage(), "      24 bytes  NonPagedPool  tag 'Leak'");
            assertContains(leak.getMessage(), "With the verifier on, @DriverTest(verifier = true), each block names the line");
            kd.assertNoBugChecks();     // without the verifier a leak is reported and reclaimed, not a bug check
        }

        @Test
        void shouldListAnUndeletedLookasideListThatStaysRegistered(DriverHarness kd) {
            kd.load(TestDrivers.ForgetsItsList.class);

            AssertionError leak = assertThrows(AssertionError.class, kd::assertNoLeaks);
            assertContains(leak.getMessage(), "lookaside list, tag 'Leak', NonPagedPool, 32-byte entries (nt)");
        }

        @Test
        void shouldNameTheBugCheckOfTheUnverifiedPool(DriverHarness kd) {
            DriverRun run = kd.load(TestDrivers.DoubleFree.class);

            assertTrue(run.bugCheck().isPresent());
            AssertionError e = assertThrows(AssertionError.class, kd::assertNoBugChecks);
            assertContains(e.getMessage(), "expected no bug checks, but there was 1:\n*** STOP: BAD_POOL_CALLER (0xC2) (0x00000007");
            assertContains(e.getMessage(), "[driver DoubleFree, during DriverEntry]");
            assertContains(e.getMessage(), "raised at dev.ringzero.testkit.TestDrivers$DoubleFree.DriverEntry(TestDrivers.java:");
        }

        @Test
        void shouldNameTheDriversLineForAnExceptionThatEscapedIt(DriverHarness kd) {
            DriverRun run = kd.load(TestDrivers.Crashes.class);

            AssertionError e = assertThrows(AssertionError.class, () -> run.assertStatus(NtStatus.STATUS_SUCCESS));
            assertContains(e.getMessage(), "*** STOP: SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x7E) (0xC0000005");
            assertContains(e.getMessage(), "    Arg1: 0xC0000005, exception code");
            assertContains(e.getMessage(), "    raised at dev.ringzero.testkit.TestDrivers$Crashes.DriverEntry(TestDrivers.java:");
            assertContains(e.getMessage(), "DbgPrint output:\n      1  Crashes: opening the device\n");
        }

        @Test
        void shouldSayWhatStatusCameInsteadWithTheDriversOutput(DriverHarness kd) {
            DriverRun run = kd.load(TestDrivers.Refuses.class);

            AssertionError e = assertThrows(AssertionError.class, () -> run.assertStatus(NtStatus.STATUS_SUCCESS));
            assertEquals("""
                    Refuses: expected DriverEntry to return STATUS_SUCCESS (0x00000000), but it returned \
                    STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182)
                        host: Refuses: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded
                    DbgPrint output:
                          1  Refuses: no device here
                    """, e.getMessage());
            run.assertStatus(NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR);
            assertFalse(run.loaded());
            kd.assertNoLeaks();
        }

        @Test
        void shouldShowTheFirstDbgPrintLineThatDiffers(DriverHarness kd) {
            DriverRun run = kd.load(TestDrivers.Refuses.class);

            AssertionError e = assertThrows(AssertionError.class, () -> run.assertDbgPrint("Refuses: no %s there"));
            assertEquals("""
                    Refuses: DbgPrint output differs from the expected 1 line: line 1 differs
                        expected: Refuses: no %s there
                        printed:  Refuses: no device here
                    DbgPrint output:
                      >   1  Refuses: no device here
                    """, e.getMessage());
            AssertionError more = assertThrows(AssertionError.class, () -> run.assertDbgPrint("Refuses: no %s here", "bye"));
            assertContains(more.getMessage(), "it printed 1 line fewer than expected; the first missing one: bye");
            AssertionError fewer = assertThrows(AssertionError.class, () -> run.assertDbgPrint());
            assertContains(fewer.getMessage(), "it printed 1 line more than expected, from line 1: Refuses: no device here");
            assertEquals(List.of("device"), run.assertDbgPrint("Refuses: no %s here"));
        }

        @Test
        void shouldRefuseToJudgeLeaksOfADriverStillLoaded(DriverHarness kd) {
            kd.load(TestDrivers.Clean.class);

            AssertionError e = assertThrows(AssertionError.class, kd::assertNoLeaks);
            assertContains(e.getMessage(), "cannot judge leaks of drivers still loaded: Clean.");
        }

        @Test
        void shouldTuneDepthsOnlyWhenTheTestTicks(DriverHarness kd) {
            kd.load(TestDrivers.Busy.class).assertStatus(NtStatus.STATUS_SUCCESS);
            assertEquals(4, kd.lookaside().lists().getFirst().depth());

            kd.tick(3);     // 100 allocations, 100 misses in the scan: Depth 4 + min(1000 * 252 / 2000 + 5, 30)
            assertEquals(34, kd.lookaside().lists().getFirst().depth());
            kd.assertNoBugChecks();
        }

        @Test
        void shouldLoadADriverUnderTheNameItsManifestGivesIt(DriverHarness kd) {
            DriverRun run = kd.load(TestDrivers.Named.class).assertStatus(NtStatus.STATUS_SUCCESS);

            assertEquals("FancyName", run.name());
            run.assertDbgPrint("FancyName: \\Registry\\Machine\\System\\CurrentControlSet\\Services\\FancyName");
            assertEquals(List.of("FancyName: \\Registry\\Machine\\System\\CurrentControlSet\\Services\\FancyName"),
                    kd.dbgPrint("FancyName"));
        }

        @Test
        void shouldLoadADriverWithHandWrittenHeadersUnderTheNameItsHeaderGivesIt(DriverHarness kd) {
            DriverRun run = kd.load(TestDrivers.HandNamed.class).assertStatus(NtStatus.STATUS_SUCCESS);

            assertEquals("OldFancyName", run.name());
            run.assertDbgPrint("OldFancyName: \\Registry\\Machine\\System\\CurrentControlSet\\Services\\OldFancyName");
        }

        @Test
        void shouldAnswerImageAlreadyLoadedWithoutStealingTheFirstLoadsOutput(DriverHarness kd) {
            DriverRun first = kd.load(TestDrivers.Named.class);
            DriverRun second = kd.load(TestDrivers.Named.class);

            assertEquals(NtStatus.STATUS_IMAGE_ALREADY_LOADED, second.status());
            assertTrue(first.loaded());
            assertFalse(second.loaded());
            assertEquals(List.of(), second.dbgPrint());
        }

        @Test
        void shouldNameTheKnownImplementationsWhenAskedForAnUnknownOne(DriverHarness kd) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kd.selectLookaside("slab"));
            assertContains(e.getMessage(), "no lookaside implementation 'slab' was found; known: [magazine, nt]");
        }
    }

    @Nested
    @DriverTest(lookaside = "nt")
    class SharingTheHarnessWithLifecycleMethods {

        private DriverHarness fromBeforeEach;

        @BeforeEach
        void loadFirst(DriverHarness kd) {
            fromBeforeEach = kd;
            kd.load(TestDrivers.Clean.class).assertStatus(NtStatus.STATUS_SUCCESS);
        }

        @Test
        void shouldHandTheTestTheSameHarness(DriverHarness kd) {
            assertTrue(fromBeforeEach == kd);
            assertEquals("nt", kd.lookaside().lists().getFirst().implementation());
            assertEquals(NtStatus.STATUS_SUCCESS, kd.unload("Clean"));
            kd.assertNoLeaks();
        }
    }

    @Test
    void shouldRefuseToStartOnAnUnknownLookasideImplementationNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DriverHarness.start(false, "slab"));
        assertContains(e.getMessage(), "no lookaside implementation 'slab' was found; known: [magazine, nt]");
    }

    static void assertContains(String actual, String expected) {
        assertTrue(actual.contains(expected), () -> "expected the message to contain\n  " + expected + "\nbut it was\n" + actual);
    }
}
