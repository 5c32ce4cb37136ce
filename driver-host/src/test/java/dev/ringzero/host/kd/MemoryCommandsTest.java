package dev.ringzero.host.kd;

import static dev.ringzero.api.memory.NtLayouts.FIELD_OFFSET;
import static dev.ringzero.api.memory.NtLayouts.LIST_ENTRY;
import static dev.ringzero.api.memory.NtLayouts.ULONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.host.core.DriverImage;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.InProcessHost;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The debugger's memory commands on a real executive (pool, lookaside registry, I/O manager) without a
 * framework, over a driver that keeps a list of three registered structures while it stays loaded. The same
 * commands through Gogo, over the tutorial driver, are the distribution's {@code KdShellIT}.
 */
class MemoryCommandsTest {

    static final StructLayout ITEM = MemoryLayout.structLayout(
            ULONG.withName("Value"),
            LIST_ENTRY.withName("Links"),
            ULONG.withName("Tail")).withName("ITEM");
    static final StructLayout DATA = MemoryLayout.structLayout(LIST_ENTRY.withName("ListHead")).withName(".data");
    static final int TAG = PoolTag.of("metI");   // displays as Item

    /** Three ITEMs on a list headed in its image, kept until unload. */
    public static final class Chain implements Driver {
        static volatile int head;
        static final int[] items = new int[3];

        @Override
        public MemoryLayout imageLayout() {
            return DATA;
        }

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            driverObject.registerDebuggerType(ITEM);
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            SystemMemory memory = driverObject.service(SystemMemory.class);
            Lists lists = driverObject.service(Lists.class);
            head = driverObject.DriverStart();
            lists.InitializeListHead(head);
            for (int i = 0; i < 3; i++) {
                items[i] = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, ITEM.byteSize(), TAG);
                memory.writeInt(items[i], i + 1);
                memory.writeInt(items[i] + 12, 0x41424344); // "DCBA" in memory
                lists.InsertTailList(head, items[i] + (int) FIELD_OFFSET(ITEM, "Links"));
            }
            driverObject.setDriverUnload(d -> {
                for (int item : items) {
                    pool.ExFreePoolWithTag(item, TAG);
                }
            });
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** Frees a block of Chain's: BAD_POOL_CALLER 0x0D, Ringzero's own sub-code. */
    public static final class Thief implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            driverObject.service(PoolAllocator.class).ExFreePoolWithTag(Chain.items[0], TAG);
            return NtStatus.STATUS_SUCCESS;
        }
    }

    InProcessHost host;
    MemoryCommands kd;

    @BeforeEach
    void start() {
        host = InProcessHost.builder().build();
        assertThat(host.load(DriverImage.of("Chain", Chain.class)).state()).isEqualTo(DriverState.LOADED);
        kd = new MemoryCommands(host.io(), host.executive(), r -> null);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    static String hex(int address) {
        return String.format(Locale.ROOT, "%08x", address);
    }

    @Test
    void poolShouldListThePageWithAStarOnTheBlockHoldingTheAddressAndItsOwner() {
        int item = Chain.items[1];
        String out = kd.pool(hex(item + 4));

        assertThat(out.lines().findFirst().orElseThrow())
                .isEqualTo("Pool page " + hex(item + 4) + " region is Nonpaged pool");
        assertThat(out).containsPattern(String.format("\\*%s size:   20 previous size:   (0|20)  \\(Allocated\\) \\*Item",
                hex(item - 16)));
        assertThat(out.lines().filter(l -> l.startsWith("*"))).hasSize(1);
        assertThat(out).contains("\t\tPooltag Item : allocated by Chain#", ", 16 bytes asked at " + hex(item) + ", Binary : Chain");
        assertThat(kd.pool(hex(item), "2").lines().filter(l -> l.contains(" size: "))).as("flag 2: that block only").hasSize(1);
        assertThat(kd.pool(hex(item), "80000000")).doesNotContain("Pooltag");
        assertThat(kd.pool(hex(item), "1")).as("flag 1: the block's first dwords")
                .contains(String.format("%s  00000002 %08x %08x 41424344", hex(item), Chain.items[2] + 4, Chain.items[0] + 4));
    }

    @Test
    void poolShouldRejectABadAddressOrFlagWithOneLine() {
        assertThat(kd.pool("00000010")).isEqualTo("pool: 00000010 is on no pool page\n");
        assertThat(kd.pool("zz")).isEqualTo("pool: not an address: zz (hex, as 80001010)\n");
        assertThat(kd.pool(hex(Chain.items[0]), "4")).startsWith("pool: unknown FLAGS bits 0x4").hasLineCount(1);
        assertThat(kd.pool()).hasLineCount(1);
    }

    @Test
    void poolfindShouldFindEveryBlockOfATagWithWildcardsAndRejectBadTagsAndPools() {
        String out = kd.poolfind("Item");
        assertThat(out).startsWith("Searching NonPaged pool for Tag: Item\n\n");
        for (int item : Chain.items) {
            assertThat(out).contains(hex(item - 16) + " size:   20 previous size: ");
        }
        assertThat(out).endsWith("3 block(s) found\n");
        assertThat(kd.poolfind("It*")).contains("3 block(s) found");
        assertThat(kd.poolfind("I?em", "1")).startsWith("Searching Paged pool").contains("0 block(s) found");
        assertThat(kd.poolfind("0x" + Integer.toHexString(TAG))).contains("Tag: Item", "3 block(s) found");
        assertThat(kd.poolfind("Ite")).isEqualTo("poolfind: tag 'Ite' has 3 characters; a tag has four (* for any rest: Ite*)\n");
        assertThat(kd.poolfind("Item", "4")).startsWith("poolfind: Ringzero has no session pool (4)").hasLineCount(1);
        assertThat(kd.poolfind("Item", "7")).hasLineCount(1).startsWith("poolfind: POOLTYPE 7 is not 0");
    }

    @Test
    void dtShouldShowARegisteredTypeAndItsValuesAtAnAddress() {
        int item = Chain.items[0];
        assertThat(kd.dt("ITEM")).isEqualTo("""
                Chain!ITEM
                   +0x000 Value            : Uint4B
                   +0x004 Links            : _LIST_ENTRY
                   +0x00c Tail             : Uint4B
                """);
        assertThat(kd.dt("Chain!ITEM", hex(item))).isEqualTo(String.format("""
                   +0x000 Value            : 0x1
                   +0x004 Links            : _LIST_ENTRY [ 0x%x - 0x%x ]
                   +0x00c Tail             : 0x41424344
                """, Chain.items[1] + 4, Chain.head));
        assertThat(kd.dt("-r", "ITEM", hex(item))).contains("      +0x004 Flink            : 0x" + Integer.toHexString(Chain.items[1] + 4));
        assertThat(kd.dt("nt!_LIST_ENTRY")).isEqualTo("nt!_LIST_ENTRY\n   +0x000 Flink            : Uint4B\n   +0x004 Blink            : Uint4B\n");
        assertThat(kd.dt("_GENERAL_LOOKASIDE")).as("the name column as wide as the longest name")
                .contains("   +0x000 ListHead           : _SLIST_HEADER", "   +0x040 Future             : [2] Uint4B");
        assertThat(kd.dt("*")).contains("Chain!ITEM", "nt!_LIST_ENTRY", "nt!_PAGED_LOOKASIDE_LIST");
        assertThat(kd.dt("NOPE")).hasLineCount(1).startsWith("dt: no type NOPE");
        assertThat(kd.dt("ITEM", "00000010")).isEqualTo("dt: no live block holds 00000010, so there is no ITEM to show there\n");
    }

    @Test
    void displayMemoryShouldShowBytesWordsDwordsAndQwordsAndQuestionMarksWhereNoBlockIs() {
        int item = Chain.items[0];
        assertThat(kd.dd(hex(item), "L3")).isEqualTo(String.format("%s  00000001 %08x %08x%n", hex(item), Chain.items[1] + 4, Chain.head));
        assertThat(kd.db(hex(item + 12), "L", "4")).isEqualTo(hex(item + 12) + "  44 43 42 41" + " ".repeat(36) + "  DCBA\n");
        assertThat(kd.dw(hex(item), "L2")).isEqualTo(hex(item) + "  0001 0000\n");
        assertThat(kd.dq(hex(item + 12), "L1")).as("4 bytes of the block, then its end")
                .isEqualTo(hex(item + 12) + "  ????????`????????\n");
        assertThat(kd.dd(hex(item + 16), "L2")).as("past the 16 bytes asked for: no block")
                .isEqualTo(hex(item + 16) + "  ???????? ????????\n");
        assertThat(kd.db(hex(item))).as("128 bytes by default").hasLineCount(8);
        assertThat(kd.dd(hex(item)).lines().findFirst().orElseThrow()).startsWith(hex(item) + "  00000001 ");
        assertThat(kd.dd(hex(item), "L0")).startsWith("dd: L 0 is outside 1..0x4000 dwords").hasLineCount(1);
        assertThat(kd.dd(hex(item), "X3")).startsWith("dd: after the address only L COUNT may follow").hasLineCount(1);
        assertThat(kd.dd("qq")).isEqualTo("dd: not an address: qq (hex, as 80001010)\n");
    }

    @Test
    void listShouldWalkTheChainRunningTheCommandOnEachStructureAndStopAtTheHead() {
        String out = kd.list("-t", "ITEM.Links", "-x", "dt ITEM", "-e", hex(Chain.items[0]));
        for (int i = 0; i < 3; i++) {
            assertThat(out).contains("dt ITEM " + hex(Chain.items[i]) + "\n   +0x000 Value            : 0x" + (i + 1));
        }
        assertThat(out).endsWith(String.format("(%08x: the list head; no ITEM in a live block at %08x)%n", Chain.head, Chain.head - 4));
        assertThat(kd.list("-t", "ITEM.Links.Flink", "-m", "2", "-x", "dd $extret L1", hex(Chain.items[0])))
                .contains(hex(Chain.items[1]) + "  00000002").doesNotContain(hex(Chain.items[2]) + "  00000003")
                .endsWith("(stopped after 2 structures: -m)\n");
        assertThat(kd.list("-t", "ITEM.Links", "-x", "dd $extret L1", hex(Chain.items[1])))
                .isEqualTo(hex(Chain.items[1]) + "  00000002\n\n" + hex(Chain.items[2]) + "  00000003\n\n"
                        + String.format("(%08x: the list head; no ITEM in a live block at %08x)%n", Chain.head, Chain.head - 4));
        assertThat(kd.list("-t", "ITEM.Nope", hex(Chain.items[0]))).isEqualTo("list: ITEM has no field Nope\n");
        assertThat(kd.list("-t", "ITEM.Links", "-x", "unload Chain", hex(Chain.items[0])))
                .startsWith("list: -x runs one of db, dd, dq, dt, dw, pool, not: unload").hasLineCount(1);
        assertThat(kd.list("-t", "ITEM.Links", "00000010")).isEqualTo("list: no ITEM in a live block at 00000010\n");
        assertThat(kd.list("-t", "ITEM.Links", hex(Chain.items[2]))).as("dd by default, 128 bytes")
                .startsWith(hex(Chain.items[2]) + "  00000003 ").contains("(" + hex(Chain.head) + ": the list head");
    }

    @Test
    void analyzeShouldNameEveryParameterForTheSubCodeAndShowTheDriverStackAndMemory() {
        assertThat(kd.analyze("-v")).isEqualTo("analyze: no bug check has happened\n");
        host.load(DriverImage.of("Thief", Thief.class));

        String out = kd.analyze("-v");

        assertThat(out).contains("Bugcheck Analysis", "BAD_POOL_CALLER (c2)\n",
                "Arg1: 0000000d, violation type: the caller freed a block another driver owns (Ringzero's own sub-code",
                "Arg2: " + hex(Chain.items[0]) + ", address of the block",
                "Arg3: 6d657449, the block's tag",
                "Arg4: " + String.format("%08x", host.io().driver("Chain").orElseThrow().owner().instance())
                        + ", load instance of the driver that owns the block",
                "BUGCHECK_CODE:  c2\n", "BUGCHECK_P1: d\n", "MODULE_NAME: Thief\n", "PHASE:  DriverEntry\n",
                "STACK_TEXT:\n", "Thief.DriverEntry", "Pool blocks Thief#", "FAILURE_BUCKET_ID:  0xC2_d_Thief");
        assertThat(kd.analyze("-v", "1")).contains("BAD_POOL_CALLER (c2)", "(bug check 1 of 1)");
        assertThat(kd.analyze("-v", "2")).isEqualTo("analyze: N is 2; there are 1 bug check(s), 1..1\n");
        assertThat(kd.analyze()).hasLineCount(1).startsWith("analyze: -v [N]");
    }

    @Test
    void drvobjShouldShowTheDriverObjectItsTypesListsAndBlocks() {
        String out = kd.drvobj("\\Driver\\Chain");
        assertThat(out).startsWith("Driver object (Chain#").contains(") is for:\n \\Driver\\Chain\n",
                "State:         loaded", "DriverStart:   " + hex(Chain.head), "DriverUnload:  set", "Types (dt):    ITEM",
                "Pool blocks: 3", "Lookaside lists: 0");
        assertThat(kd.drvobj("chain")).isEqualTo(out);
        assertThat(kd.drvobj("Nope")).isEqualTo("drvobj: no driver Nope; loaded: Chain\n");
        assertThat(kd.drvobj("80001000")).isEqualTo(
                "drvobj: no driver 80001000 (a Ringzero driver object has no address: give its name); loaded: Chain\n");
    }
}
