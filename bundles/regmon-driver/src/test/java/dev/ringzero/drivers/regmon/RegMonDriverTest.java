package dev.ringzero.drivers.regmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.testkit.DriverHarness;
import dev.ringzero.testkit.DriverRun;
import dev.ringzero.testkit.DriverTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs RegMon in-process on each lookaside implementation. Each of the driver's seconds ends with one tick
 * of the balance-set manager instead of a wall-clock second (the driver's {@code KeDelayExecutionThread}
 * seam), so the tuner scans the list three times in ten "seconds" and the test takes as long as the
 * 1.3 million allocations do.
 */
@DriverTest
class RegMonDriverTest {

    private static final RegMon.Delay REAL_SECOND = RegMon.KeDelayExecutionThread;

    /** What the tuner left after each tick, seen from the tick itself: the list's Depth. */
    private final List<Integer> depths = new CopyOnWriteArrayList<>();

    private DriverRun runRegMon(String implementation, DriverHarness kd) {
        kd.selectLookaside(implementation);
        RegMon.KeDelayExecutionThread = dueTime -> {
            kd.tick();
            kd.lookaside().lists().stream().filter(l -> l.tag() == PoolTag.fromDisplay("Regm"))
                    .forEach(l -> depths.add(l.depth()));
        };
        return kd.load(RegMon.class);
    }

    @AfterEach
    void realSecondsAgain() {
        RegMon.KeDelayExecutionThread = REAL_SECOND;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void shouldHitTheLookasideList99PercentOfTheTimeLikeTheTutorialsRegMon(String implementation, DriverHarness kd) {
        DriverRun run = runRegMon(implementation, kd).assertStatus(NtStatus.STATUS_SUCCESS);

        String dump = single(run.lookasideDumps());
        assertTrue(dump.contains("\"Regm\""), dump);
        assertContainsPattern(dump, "Type\\s+=\\s+0001\\s+PagedPool");
        assertContainsPattern(dump, "Size\\s+=\\s+1024\\s+Max Alloc\\s+=\\s+\\d+");
        long totalAllocates = number(dump, "TotalAllocates\\s+=\\s+(\\d+)");
        long allocateMisses = number(dump, "AllocateMisses\\s+=\\s+(\\d+)");
        long hitRate = number(dump, "Hit Rate\\s+=\\s+(\\d+)%");
        assertTrue(totalAllocates >= 1_000_000, "over a million allocations, like the tutorial's: " + dump);
        assertTrue(hitRate >= 99, "allocate hit rate >= 99 %: " + dump);
        assertEquals((totalAllocates - allocateMisses) * 100 / totalAllocates, hitRate, "!lookaside's formula");
        // Two threads each hold one block at a time: a miss happens only when both hold every block made so far.
        assertTrue(allocateMisses <= RegMon.THREADS, "at most one miss per thread: " + dump);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void shouldKeepTheTunedDepthWithinNtsBounds(String implementation, DriverHarness kd) {
        DriverRun run = runRegMon(implementation, kd).assertStatus(NtStatus.STATUS_SUCCESS);

        assertEquals(RegMon.DEFAULT_SECONDS, depths.size(), "one tick per second of the driver");
        assertTrue(depths.stream().allMatch(d -> d >= 4 && d <= 256), "Depth within 4..256 after every tick: " + depths);
        long maxDepth = number(single(run.lookasideDumps()), "Max Depth\\s+=\\s+(\\d+)");
        assertTrue(maxDepth >= 4 && maxDepth <= 256, "final Max Depth " + maxDepth);
        // A miss rate under 0.5 % makes each scan take one off the depth, down to the floor: the tutorial's "Max Depth = 4".
        assertEquals(4, maxDepth);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void shouldPrintItsSummaryDeleteTheListAndUnloadCleanly(String implementation, DriverHarness kd) {
        DriverRun run = runRegMon(implementation, kd).assertStatus(NtStatus.STATUS_SUCCESS);

        List<String> lines = run.dbgPrint();
        assertEquals("RegMon: Entering DriverEntry", lines.get(1));
        assertTrue(lines.contains("RegMon: Lookaside list of 1024-byte log entries initialized, tag 'Regm'"), lines::toString);
        for (int thread = 1; thread <= RegMon.THREADS; thread++) {
            assertTrue(lines.contains("RegMon: Thread #" + thread + " logged "
                    + RegMon.CALLS_PER_SECOND * RegMon.DEFAULT_SECONDS + " registry calls (0 allocation failures)"), lines::toString);
        }
        assertTrue(lines.stream().anyMatch(l -> l.matches("RegMon: AllocateMisses = \\d+  Hit Rate = (99|100)%")), lines::toString);
        List<String> last = lines.subList(lines.size() - 3, lines.size());
        assertEquals("RegMon: Lookaside list deleted", last.get(0));
        assertTrue(last.get(1).matches("RegMon: Nonpaged memory for lookaside list at address [0-9A-F]{8} released"), last::toString);
        assertEquals("RegMon: Leaving DriverEntry", last.get(2));
        assertTrue(run.loaded());
        assertEquals(List.of(), kd.lookaside().lists(), "the list is deleted in DriverEntry");

        assertEquals(NtStatus.STATUS_SUCCESS, kd.unload("RegMon"));
        assertEquals("RegMon: DriverUnload: the list was deleted in DriverEntry, nothing left to free", run.dbgPrint().getLast());
        kd.assertNoLeaks();
        kd.assertNoBugChecks();
    }

    private static String single(List<String> dumps) {
        assertEquals(1, dumps.size(), () -> "one !lookaside dump, taken just before the delete: " + dumps);
        return dumps.getFirst();
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> "expected <" + regex + "> in\n" + text);
        return Long.parseLong(m.group(1));
    }

    private static void assertContainsPattern(String text, String regex) {
        assertTrue(Pattern.compile(regex).matcher(text).find(), () -> "expected <" + regex + "> in\n" + text);
    }
}
