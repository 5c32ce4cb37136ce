package dev.ringzero.drivers.lookasidelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.memory.PoolTagUsage;
import dev.ringzero.testkit.DriverHarness;
import dev.ringzero.testkit.DriverRun;
import dev.ringzero.testkit.DriverTest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the tutorial's driver in-process (the driver test kit: plain module path, no OSGi) on each
 * lookaside implementation and checks it line for line against the tutorial.
 */
@DriverTest
class LookasideListDriverTest {

    private static final String ADDRESS = "([0-9A-F]{8})";

    private static DriverRun runTutorial(String implementation, DriverHarness kd) {
        kd.selectLookaside(implementation);
        return kd.load(LookasideList.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void shouldPrintTheTutorialsTranscriptLineForLine(String implementation, DriverHarness kd) {
        DriverRun run = runTutorial(implementation, kd);

        // DbgPrint formats, as the driver wrote them: %08X matches the address it printed
        List<String> expected = new ArrayList<>(List.of(
                "",
                "LookasideList: Entering DriverEntry",
                "LookasideList: Nonpaged memory for lookaside list allocated at address %08X",
                "LookasideList: Lookaside list initialized",
                "LookasideList: Doubly linked list head initialized",
                "",
                "LookasideList: Start to allocate/free from/to lookaside list"));
        for (int round = 1; round <= 5; round++) {
            expected.add("LookasideList: + Memory block allocated from lookaside list at address %08X");
            expected.add("LookasideList: + Entry #" + (2 * round - 1) + " added");
            expected.add("LookasideList: + Memory block allocated from lookaside list at address %08X");
            expected.add("LookasideList: + Entry #" + (2 * round) + " added");
            expected.add("LookasideList: - Entry #" + (2 * round) + " removed");
            expected.add("LookasideList: - Memory block at address %08X returned to lookaside list");
        }
        expected.add("");
        expected.add("LookasideList: Free the rest to lookaside list");
        for (int entry = 9; entry >= 1; entry -= 2) {          // InsertHeadList + RemoveHeadList: newest first
            expected.add("LookasideList: - Entry #" + entry + " removed");
            expected.add("LookasideList: - Memory block at address %08X returned to lookaside list");
        }
        expected.addAll(List.of(
                "LookasideList: Doubly linked list is empty",
                "",
                "LookasideList: Lookaside list deleted",
                "LookasideList: Nonpaged memory for lookaside list at address %08X released",
                "LookasideList: Leaving DriverEntry"));

        List<String> addresses = run.assertDbgPrint(expected);

        // The header's address is printed at allocation and at release, and lies in non-paged pool.
        assertEquals(addresses.getFirst(), addresses.getLast());
        int header = Integer.parseUnsignedInt(addresses.getFirst(), 16);
        assertTrue(Integer.compareUnsigned(header, 0x8000_0000) >= 0 && Integer.compareUnsigned(header, 0xBFFF_FFFF) <= 0,
                "header in non-paged pool: " + addresses.getFirst());
        run.assertStatus(NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR);
        assertFalse(run.loaded());
        assertEquals("LookasideList: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded",
                run.hostMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void shouldReuseTheBlockJustReturnedToTheLookasideList(String implementation, DriverHarness kd) {
        List<String> lines = runTutorial(implementation, kd).dbgPrint();
        Pattern returned = Pattern.compile("LookasideList: - Memory block at address " + ADDRESS + " returned to lookaside list");
        Pattern allocated = Pattern.compile("LookasideList: \\+ Memory block allocated from lookaside list at address " + ADDRESS);
        // Each round frees one block; the first allocation of the next round pops it again (a LIFO hit).
        int reuses = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher r = returned.matcher(lines.get(i));
            if (r.matches() && i + 1 < lines.size()) {
                Matcher next = allocated.matcher(lines.get(i + 1));
                if (next.matches()) {
                    assertEquals(r.group(1), next.group(1), "block popped after line " + (i + 1));
                    reuses++;
                }
            }
        }
        assertEquals(4, reuses, "rounds 2 to 5 each start by popping the block round 1 to 4 returned");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void shouldLeaveTheCountersNtsRulesPredictJustBeforeTheDelete(String implementation, DriverHarness kd) {
        DriverRun run = runTutorial(implementation, kd);

        // NT's rules (ExAllocateFrom/ExFreeTo...): Depth 4 from initialization, no tuner tick during DriverEntry.
        NtLookasideModel model = new NtLookasideModel(4);
        for (int round = 0; round < 5; round++) {
            model.allocate();
            model.allocate();
            model.free();
        }
        for (int rest = 0; rest < 5; rest++) {
            model.free();
        }
        assertEquals(10, model.totalAllocates);

        assertEquals(1, run.lookasideDumps().size());
        String dump = run.lookasideDumps().getFirst();
        assertTrue(dump.contains("\"Wasm\""), dump);
        assertContainsPattern(dump, "Type\\s+=\\s+0001\\s+PagedPool");
        assertContainsPattern(dump, "Current Depth\\s+=\\s+" + model.cached + "\\s+Max Depth\\s+=\\s+4\\b");
        assertContainsPattern(dump, "Size\\s+=\\s+20\\s+Max Alloc\\s+=\\s+80\\b");
        assertContainsPattern(dump, "AllocateMisses\\s+=\\s+" + model.allocateMisses + "\\s+FreeMisses\\s+=\\s+" + model.freeMisses + "\\b");
        assertContainsPattern(dump, "TotalAllocates\\s+=\\s+" + model.totalAllocates + "\\s+TotalFrees\\s+=\\s+" + model.totalFrees + "\\b");
        assertContainsPattern(dump, "Hit Rate\\s+=\\s+" + model.allocateHitRate() + "%\\s+Hit Rate\\s+=\\s+" + model.freeHitRate() + "%");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void shouldLeaveThePoolAtItsBaseline(String implementation, DriverHarness kd) {
        long baseline = kd.pool().bytesInUse();
        DriverRun run = runTutorial(implementation, kd);

        assertEquals(baseline, kd.pool().bytesInUse());
        assertEquals(List.of(), kd.lookaside().lists());
        // Entries came from paged pool under 'Wasm' (the misses), the header from non-paged pool under 'None'.
        PoolTagUsage wasm = usage(kd, "Wasm", true);
        assertEquals(6, wasm.allocs());
        assertEquals(6, wasm.frees());
        assertEquals(0, wasm.bytesInUse());
        PoolTagUsage none = usage(kd, "None", false);
        assertEquals(1, none.allocs());
        assertEquals(1, none.frees());
        kd.assertNoLeaks();
        kd.assertNoBugChecks();
        assertTrue(run.bugCheck().isEmpty());
    }

    private static PoolTagUsage usage(DriverHarness kd, String tag, boolean paged) {
        return kd.pool().usage().stream()
                .filter(u -> u.tag() == PoolTag.fromDisplay(tag) && u.paged() == paged)
                .findFirst().orElseThrow(() -> new AssertionError("no pool usage for " + tag + " in " + kd.pool().usage()));
    }

    private static void assertContainsPattern(String text, String regex) {
        assertTrue(Pattern.compile(regex).matcher(text).find(), () -> "expected <" + regex + "> in\n" + text);
    }

    /** A plain Java model of ExAllocateFrom/ExFreeTo...LookasideList's counters (nt-semantics §2.5). */
    static final class NtLookasideModel {
        final int depth;
        int cached;
        long totalAllocates;
        long allocateMisses;
        long totalFrees;
        long freeMisses;

        NtLookasideModel(int depth) {
            this.depth = depth;
        }

        void allocate() {
            totalAllocates++;
            if (cached > 0) cached--;
            else allocateMisses++;
        }

        void free() {
            totalFrees++;
            if (cached >= depth) freeMisses++;
            else cached++;
        }

        long allocateHitRate() {
            return (totalAllocates - allocateMisses) * 100 / totalAllocates;
        }

        long freeHitRate() {
            return (totalFrees - freeMisses) * 100 / totalFrees;
        }
    }
}
