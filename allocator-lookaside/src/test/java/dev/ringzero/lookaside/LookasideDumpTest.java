package dev.ringzero.lookaside;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code !lookaside}: the tutorial's dump of RegMon's list, a published dump's numbers, the totals. */
class LookasideDumpTest {

    static LookasideInfo info(int address, int type, String tag, int size, int currentDepth, int depth,
                              long totalAllocates, long allocateMisses, long totalFrees, long freeMisses) {
        return new LookasideInfo(address, Owner.SYSTEM, "nt", type, PoolTag.fromDisplay(tag), size, currentDepth,
                depth, 256, totalAllocates, allocateMisses, totalFrees, freeMisses);
    }

    @Test
    void reproducesTheTutorialsDumpOfRegMonsList() {
        LookasideInfo regmon = info(0xED374840, PoolType.PagedPool, "Regm", 1024, 2, 4, 1319722, 4, 1319720, 0);
        assertThat(LookasideDump.render(regmon)).isEqualTo("""
                Lookaside "" @ ed374840 "Regm"
                    Type           =       0001  PagedPool
                    Current Depth  =          2  Max Depth  =          4
                    Size           =       1024  Max Alloc  =       4096
                    AllocateMisses =          4  FreeMisses =          0
                    TotalAllocates =    1319722  TotalFrees =    1319720
                    Hit Rate       =         99% Hit Rate   =        100%""");
    }

    @Test
    void reproducesThePublishedNumbersOfCcTwilightLookasideList() {
        LookasideInfo twilight = info(0x82C49280, PoolType.NonPagedPool, "CcWk", 32, 0, 34, 759, 534, 715, 467);
        assertThat(LookasideDump.render(twilight).lines().toList()).containsExactly(
                "Lookaside \"\" @ 82c49280 \"CcWk\"",
                "    Type           =       0000  NonPagedPool",
                "    Current Depth  =          0  Max Depth  =         34",
                "    Size           =         32  Max Alloc  =       1088",
                "    AllocateMisses =        534  FreeMisses =        467",
                "    TotalAllocates =        759  TotalFrees =        715",
                "    Hit Rate       =         29% Hit Rate   =         34%");
    }

    @Test
    void aListWithNothingCountedShowsZeroHitRates() {
        LookasideInfo fresh = info(0x80001000, PoolType.NonPagedPool, "Wasm", 40, 0, 4, 0, 0, 0, 0);
        assertThat(LookasideDump.render(fresh)).endsWith("Hit Rate       =          0% Hit Rate   =          0%");
    }

    @Test
    void typeShowsItsFlagsByName() {
        LookasideInfo raising = info(0x80001000, PoolType.PagedPool | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE,
                "Wasm", 40, 0, 4, 0, 0, 0, 0);
        assertThat(LookasideDump.render(raising).lines().toList().get(1))
                .isEqualTo("    Type           =       0011  PagedPool RaiseIfAllocationFailure");
    }

    @Test
    void countersPrintAsUnsigned32BitValues() {
        LookasideInfo wrapped = info(0x80001000, PoolType.NonPagedPool, "Wasm", 40, 0, 4, 0xFFFF_FFFFL, 1, 0, 0);
        assertThat(LookasideDump.render(wrapped)).contains("TotalAllocates = 4294967295");
    }

    @Test
    void renderAllEndsWithTheFourTotals() {
        LookasideInfo regmon = info(0xED374840, PoolType.PagedPool, "Regm", 1024, 2, 4, 1319722, 4, 1319720, 0);
        LookasideInfo twilight = info(0x82C49280, PoolType.NonPagedPool, "CcWk", 32, 3, 34, 759, 534, 715, 467);
        String all = LookasideDump.renderAll(List.of(twilight, regmon));
        assertThat(all).startsWith(LookasideDump.render(twilight) + "\n\n" + LookasideDump.render(regmon) + "\n\n");
        assertThat(all).endsWith("""
                Total NonPaged currently allocated for above lists =       96
                Total NonPaged potential for above lists           =     1088
                Total Paged currently allocated for above lists    =     2048
                Total Paged potential for above lists              =     4096""");
    }

    @Test
    void renderAllOfNoListsIsJustTheTotals() {
        assertThat(LookasideDump.renderAll(List.of()).lines()).hasSize(4).allMatch(l -> l.endsWith("=        0"));
    }
}
