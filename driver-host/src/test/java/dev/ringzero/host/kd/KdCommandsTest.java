package dev.ringzero.host.kd;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.InProcessHost;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kd:lookaside ADDRESS 1} and {@code kd:lookaside ADDRESS 2 DEPTH} on a real registry, without a
 * framework: what the Gogo overloads do once Gogo has picked them. The shell itself (Gogo choosing the
 * overload by the number of arguments) is the distribution's {@code KdShellIT}.
 */
class KdCommandsTest {

    static final Owner DRIVER = new Owner("KdDriver", 1);
    static final int TAG = PoolTag.of("KdLs");
    static final String USAGE = "usage: kd:lookaside [ADDRESS [1|2 DEPTH]]";

    InProcessHost host;
    LookasideRegistry registry;
    LookasideLists lists;
    int list;

    void start(String implementation) {
        host = InProcessHost.builder().lookaside(implementation).build();
        Executive ex = host.executive();
        registry = ex.lookasideRegistry();
        PoolAllocator pool = ex.pool().forDriver(DRIVER);
        lists = ex.selectedLookaside().forDriver(DRIVER, pool);
        list = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lists.ExInitializeNPagedLookasideList(list, null, null, 0, 32, TAG, 0);
    }

    @AfterEach
    void stop() {
        if (host != null) {
            lists.ExDeleteNPagedLookasideList(list);
            host.close();
        }
    }

    String kd(String... args) {
        return KdCommands.lookaside(registry, args[0], args[1], args.length > 2 ? args[2] : null);
    }

    String address() {
        return String.format("%08x", list);
    }

    void churn(int n) {
        int[] entries = new int[n];
        for (int i = 0; i < n; i++) {
            entries[i] = lists.ExAllocateFromNPagedLookasideList(list);
        }
        for (int e : entries) {
            lists.ExFreeToNPagedLookasideList(list, e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void option1ShouldResetTheCountersAndPrintTheDumpWithZeros(String implementation) {
        start(implementation);
        churn(6);                                      // 6 misses; 4 cached, 2 free misses
        assertThat(registry.find(list)).get().extracting(LookasideInfo::totalAllocates).isEqualTo(6L);
        String out = kd(address(), "1");
        assertThat(out).isEqualTo(registry.render(list))
                .startsWith(String.format("Lookaside \"\" @ %08x \"%s\"", list, PoolTag.toString(TAG)))
                .contains("    Current Depth  =          4  Max Depth  =          4\n",
                        "    AllocateMisses =          0  FreeMisses =          0\n",
                        "    TotalAllocates =          0  TotalFrees =          0\n");
        churn(1);                                      // counting resumes: a hit
        assertThat(registry.find(list)).get().extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                LookasideInfo::totalFrees).containsExactly(1L, 0L, 1L);
        assertThat(kd("0x" + address(), "1")).as("0x prefix").contains("TotalAllocates =          0");
        assertThat(registry.find(list)).get().extracting(LookasideInfo::totalAllocates, LookasideInfo::totalFrees)
                .containsExactly(0L, 0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nt", "magazine"})
    void option2ShouldSetTheDepthAndPrintTheDump(String implementation) {
        start(implementation);
        assertThat(kd(address(), "2", "0n10")).as("decimal with 0n, as in WinDbg").isEqualTo(registry.render(list))
                .contains("    Current Depth  =          0  Max Depth  =         10\n",
                        "    Size           =         32  Max Alloc  =        320\n");
        churn(12);                                     // ten cached now, two free misses
        assertThat(registry.find(list)).get().extracting(LookasideInfo::currentDepth, LookasideInfo::freeMisses)
                .containsExactly(10, 2L);
        assertThat(kd(address(), "2", "0x20")).as("hex with 0x").contains("Max Depth  =         32");
        assertThat(kd(address(), "2", "c")).as("hex by default, WinDbg's radix").contains("Max Depth  =         12");
        assertThat(kd(address(), "2", "0")).contains("Max Depth  =          0");
    }

    @Test
    void badInputShouldBeOneLineThenTheUsageAndChangeNothing() {
        start("nt");
        churn(6);
        String a = address();
        String never = String.format("%08x", list + 0x1000);
        assertThat(kd("zz", "1")).isEqualTo("lookaside: not a hex address: zz\n" + usageLine());
        assertThat(kd(a, "3")).isEqualTo("lookaside: unknown option: 3 (1 resets the counters, 2 DEPTH sets the depth)\n"
                + usageLine());
        assertThat(kd(a, "1", "5")).isEqualTo("lookaside: option 1 (reset the counters) takes no DEPTH, got: 5\n" + usageLine());
        assertThat(kd(a, "2")).isEqualTo("lookaside: option 2 (set the depth) needs a DEPTH\n" + usageLine());
        assertThat(kd(a, "2", "ten")).isEqualTo("lookaside: not a depth: ten\n" + usageLine());
        assertThat(kd(a, "2", "101")).as("hex: 0x101 = 257").startsWith("lookaside: depth=257 is outside");
        assertThat(kd(a, "2", "0n257")).isEqualTo(String.format(
                "lookaside: depth=257 is outside 0..MaximumDepth=256 of the lookaside list at %08X\n", list) + usageLine());
        assertThat(kd(a, "2", "-1")).startsWith("lookaside: depth=-1 is outside 0..MaximumDepth=256");
        assertThat(kd(never, "1")).isEqualTo(String.format(
                "lookaside: no live lookaside list at %08X (never initialized)\n", list + 0x1000) + usageLine());
        assertThat(kd(never, "2", "8")).startsWith("lookaside: no live lookaside list at");
        assertThat(registry.find(list)).get().extracting(LookasideInfo::depth, LookasideInfo::totalAllocates)
                .as("nothing changed").containsExactly(4, 6L);
    }

    @Test
    void theHelpTableShouldShowTheResetAndDepthForms() {
        assertThat(usageLine()).startsWith(USAGE).contains("1 resets its counters", "2 sets its Depth");
        assertThat(new KdCommands(null).commands()).contains("  lookaside [ADDRESS [1|2 DEPTH]]");
    }

    static String usageLine() {
        return dev.ringzero.host.debugger.KdHelp.usage("lookaside");
    }
}
