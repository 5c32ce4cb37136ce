package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.distribution.corpus.DoubleFreeDriver;
import dev.ringzero.distribution.corpus.LeakyDriver;
import dev.ringzero.distribution.corpus.OverrunDriver;
import dev.ringzero.distribution.corpus.UndeletedListDriver;
import dev.ringzero.distribution.corpus.UseAfterFreeDriver;
import dev.ringzero.distribution.corpus.VictimDriver;
import dev.ringzero.distribution.drivers.EntryThreadFaultDriver;
import dev.ringzero.distribution.drivers.ThreadFaultDriver;
import dev.ringzero.distribution.drivers.GoodDriver;
import dev.ringzero.distribution.drivers.SnoopingDriver;
import dev.ringzero.distribution.drivers.StubbornDriver;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.debugger.KdHelp;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kd} commands through Gogo's {@code CommandProcessor}, on the real Felix host, and the
 * ownership of the executive's services as a driver bundle sees them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KdShellIT {

    @TempDir
    static Path tmp;

    private final Transcript transcript = new Transcript();
    private final Events events = new Events();
    private FelixHost host;
    private GogoSession gogo;

    @BeforeAll
    void startHost() throws Exception {
        host = FelixHost.start(Distribution.settings(tmp, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false).withWatchdog(java.time.Duration.ofSeconds(30)), events); // nothing here is meant to hang
        gogo = new GogoSession(host.framework().getBundleContext());
    }

    @AfterAll
    void stopHost() throws Exception {
        gogo.close();
        host.close();
    }

    private String kd(String line) throws Exception {
        return gogo.execute(line);
    }

    private final StringBuilder tour = new StringBuilder();

    /** {@link #kd}, the line and its answer also kept for target/kd-tour-tutorial.txt. */
    private String tour(String line) throws Exception {
        String answer = kd(line);
        tour.append("kd> ").append(line).append('\n').append(answer).append(answer.endsWith("\n") ? "" : "\n");
        return answer;
    }

    @Test
    void helpShouldListEveryCommandWithItsUsage() throws Exception {
        assertThat(kd("kd:commands")).contains("lm", "lookaside [ADDRESS [1|2 DEPTH]]", "poolused [FLAGS] [TAG]", "load JAR|NAME",
                "unload NAME", "allocators [select|remove NAME]", "verifier [on|off] [NAME]", "specialpool [on|off NAME | on|off tag TAG]",
                "bugchecks", "pool ADDRESS [FLAGS]", "poolfind TAG [POOLTYPE]", "dt [-r] TYPE [ADDRESS]", "db ADDRESS [L COUNT]",
                "list -t TYPE.FIELD", "analyze -v [N]", "drvobj NAME");
        // Gogo's own help reads the kd shell bundle's @Descriptors: every command's description and parameters
        for (String command : KdHelp.SYNOPSIS.keySet()) {
            assertThat(kd("help kd:" + command)).as("help kd:%s", command)
                    .contains(command + " - " + KdHelp.DESCRIPTION.get(command), "scope: kd", "parameters:");
            assertThat(kd(command + " -h")).as("%s -h", command).isEqualTo(KdHelp.usage(command));
        }
        assertThat(kd("help kd:pool")).contains("ADDRESS [FLAGS]  ADDRESS hex; FLAGS 1 adds each block's first bytes");
        assertThat(kd("allocators frobnicate")).startsWith("usage: kd:allocators");
    }

    /**
     * The tutorial driver held in its {@code DriverEntry} after its first two {@code AddEntry} calls: its list
     * holds entries #2 and #1 (blocks of its paged lookaside list, tag {@code Wasm}) and it registered
     * {@code SOME_STRUCTURE}. The memory commands look at it through Gogo, then it runs on to its end.
     */
    @Test
    void theMemoryCommandsShouldShowTheTutorialsListWhileItsDriverEntryRuns() throws Exception {
        Transcript.Hold hold = transcript.holdAt("LookasideList", "LookasideList: + Entry #2 added");
        var load = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return host.load(Distribution.sample()).outcome().message();
            } catch (Exception e) {
                return e.toString();
            }
        });
        try {
            hold.reached();
            List<String> blocks = transcript.of("LookasideList").stream()
                    .filter(l -> l.startsWith("LookasideList: + Memory block allocated from lookaside list at address "))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1).toLowerCase(java.util.Locale.ROOT)).toList();
            assertThat(blocks).hasSize(2);
            String first = blocks.get(0);
            String second = blocks.get(1);

            assertThat(tour("dt SOME_STRUCTURE")).startsWith("""
                    LookasideList!SOME_STRUCTURE
                       +0x000 SomeField1       : Uint4B
                       +0x004 SomeField2       : Uint4B
                       +0x008 ListEntry        : _LIST_ENTRY
                       +0x010 SomeFieldX       : Uint4B
                    """);
            assertThat(tour("dt SOME_STRUCTURE " + second)).startsWith("   +0x000 SomeField1       : 0x2\n")
                    .contains("+0x008 ListEntry        : _LIST_ENTRY [ 0x" + Integer.toHexString(Integer.parseUnsignedInt(first, 16) + 8));

            String list = tour("list -t SOME_STRUCTURE.ListEntry -x \"dt SOME_STRUCTURE\" -e " + second);
            assertThat(list).containsSubsequence("dt SOME_STRUCTURE " + second, "SomeField1       : 0x2",
                    "dt SOME_STRUCTURE " + first, "SomeField1       : 0x1", ": the list head; no SOME_STRUCTURE in a live block at");

            String pool = kd("pool " + second);
            tour("pool " + second + " 2");
            assertThat(pool).startsWith("Pool page " + second + " region is Paged pool\n")
                    .containsPattern("\\*[0-9a-f]{8} size:   30 previous size:   (0|30)  \\(Allocated\\) \\*Wasm")
                    .contains("Pooltag Wasm : allocated by LookasideList#", "Binary : LookasideList");
            assertThat(tour("poolfind Wasm 1").lines().filter(l -> l.endsWith("(Allocated) Wasm"))).hasSize(2);
            assertThat(kd("dd " + second + " L1")).isEqualTo(second + "  00000002\n");
            assertThat(tour("drvobj LookasideList")).contains("\\Driver\\LookasideList", "State:         loading",
                    "Types (dt):    SOME_STRUCTURE", "Lookaside lists: 1");
            assertThat(kd("dt NO_SUCH_TYPE")).hasLineCount(1).startsWith("dt: no type NO_SUCH_TYPE");
            assertThat(kd("pool 00000010")).isEqualTo("pool: 00000010 is on no pool page\n");
            assertThat(kd("poolfind W")).hasLineCount(1).startsWith("poolfind: tag 'W' has 1 characters");
        } finally {
            hold.release();
            // what the README's tour quotes: these commands and their answers, from this run
            Files.writeString(Path.of("target/kd-tour-tutorial.txt"), tour);
        }
        assertThat(load.get(60, java.util.concurrent.TimeUnit.SECONDS)).contains("STATUS_DEVICE_CONFIGURATION_ERROR");
    }

    @Test
    void analyzeShouldNameEveryParameterOfTheLastBugCheckForItsSubCode() throws Exception {
        Path doubleFree = TestBundles.driverBundle(tmp.resolve("build-7"), DoubleFreeDriver.class);
        assertThat(kd("load " + doubleFree)).contains("BAD_POOL_CALLER (0xC2)");
        String analysis = kd("analyze -v");
        assertThat(analysis).contains("Bugcheck Analysis", "BAD_POOL_CALLER (c2)\n",
                "Arg1: 00000007, violation type: the caller freed a block that was already free",
                "Arg2: 00000000, reserved (0)", "Arg3: ", ", pool header contents (word 0)", ", address of the block",
                "BUGCHECK_CODE:  c2", "MODULE_NAME: DoubleFreeDriver", "PHASE:  DriverEntry", "STACK_TEXT:",
                "DoubleFreeDriver.DriverEntry", "CRASH_REPORT:  ", "FAILURE_BUCKET_ID:  0xC2_7_DoubleFreeDriver");
        assertThat(analysis).doesNotContain("depends on type");
        int n = host.ioManager().bugChecks().size();
        assertThat(kd("analyze -v 0n" + n).replaceAll("(?m)^MEMORY_STATE:.*$", "")).as("the last one, by its number")
                .isEqualTo(analysis.replaceAll("(?m)^MEMORY_STATE:.*$", ""));
        assertThat(kd("analyze -v 0n999")).startsWith("analyze: N is 0n999; there are ").hasLineCount(1);
        assertThat(kd("analyze")).hasLineCount(1).startsWith("analyze: -v [N]");
    }

    @Test
    void lookasideShouldResetTheCountersAndSetTheDepthOfALiveListAndPrintItsDump() throws Exception {
        Path victim = TestBundles.driverBundle(tmp.resolve("build-4"), VictimDriver.class);
        assertThat(kd("load " + victim)).endsWith("driver loaded");
        var owner = host.ioManager().driver("VictimDriver").orElseThrow().owner();
        int list = host.executive().lookasideRegistry().ownedBy(owner).getFirst().address();
        String a = String.format("%08x", list);
        try {
            // the host's tuner runs (each list every 3 s) and may retune the depth later, as NT's would;
            // the dump is read right after the change
            assertThat(kd("lookaside " + a + " 2 a")).as("hex, WinDbg's radix").startsWith("Lookaside \"\" @ " + a)
                    .contains("Max Depth  =         10");
            assertThat(kd("lookaside " + a + " 1")).startsWith("Lookaside \"\" @ " + a)
                    .contains("AllocateMisses =          0  FreeMisses =          0",
                            "TotalAllocates =          0  TotalFrees =          0");
            // bad input: one line saying what is wrong, then the usage; never a stack trace
            assertThat(kd("lookaside " + a + " 2 0n999").lines()).containsExactly(String.format(
                    "lookaside: depth=999 is outside 0..MaximumDepth=256 of the lookaside list at %08X", list),
                    KdHelp.usage("lookaside"));
            assertThat(kd("lookaside " + a + " 2").lines()).hasSize(2).first().isEqualTo(
                    "lookaside: option 2 (set the depth) needs a DEPTH");
            assertThat(kd("lookaside " + a + " 2 deep").lines()).first().isEqualTo("lookaside: not a depth: deep");
            assertThat(kd("lookaside " + a + " 7").lines()).first().asString().startsWith("lookaside: unknown option: 7");
            assertThat(kd("lookaside nothex 1").lines()).first().isEqualTo("lookaside: not a hex address: nothex");
            assertThat(kd("lookaside 00000010 1").lines()).first().asString()
                    .startsWith("lookaside: no live lookaside list at 00000010");
        } finally {
            assertThat(kd("unload VictimDriver")).isEqualTo("VictimDriver: driver unloaded");
        }
        assertThat(transcript.of("VictimDriver")).contains("VictimDriver: lookaside list still usable at unload, and deleted");
    }

    @Test
    void theVerifierShouldSwitchForEveryDriverFromTheShell() throws Exception {
        assertThat(kd("verifier on")).isEqualTo("Driver Verifier on for drivers loaded from now on");
        assertThat(kd("verifier")).startsWith("Driver Verifier: on for every driver");
        Path stubborn = TestBundles.driverBundle(tmp.resolve("build-3"), SnoopingDriver.class);
        try {
            assertThat(kd("load " + stubborn)).endsWith("driver loaded");
            assertThat(kd("verifier")).containsPattern("SnoopingDriver +verified");
            assertThat(kd("unload SnoopingDriver")).isEqualTo("SnoopingDriver: driver unloaded");
        } finally {
            assertThat(kd("verifier off")).isEqualTo("Driver Verifier off for drivers loaded from now on");
        }
        assertThat(kd("verifier")).startsWith("Driver Verifier: off for every driver");
        assertThat(kd("verifier maybe")).startsWith("usage: kd:verifier");
    }

    @Test
    void specialPoolShouldSwitchForADriverOrATagFromTheShell() throws Exception {
        assertThat(kd("specialpool")).startsWith("Special pool by tag: none");
        assertThat(kd("specialpool on tag 'Uaf?'")).isEqualTo("Special pool on for blocks tagged Uaf? (allocated from now on)");
        assertThat(kd("specialpool on OverrunDriver")).isEqualTo("Special pool on for OverrunDriver");
        try {
            assertThat(kd("specialpool")).startsWith("Special pool by tag: Uaf?");
            Path useAfterFree = TestBundles.driverBundle(tmp.resolve("build-6"), UseAfterFreeDriver.class);
            assertThat(kd("load " + useAfterFree)).as("its tag is in special pool").contains("(0xD5)");
            Path overrun = TestBundles.driverBundle(tmp.resolve("build-6"), OverrunDriver.class);
            assertThat(kd("load " + overrun)).as("its name is in special pool").contains("(0xD6)");
        } finally {
            assertThat(kd("specialpool off tag 'Uaf?'")).isEqualTo("Special pool off for blocks tagged Uaf? (allocated from now on)");
            assertThat(kd("specialpool off OverrunDriver")).isEqualTo("Special pool off for OverrunDriver");
        }
        assertThat(kd("specialpool")).startsWith("Special pool by tag: none");
        assertThat(kd("specialpool on tag 'Toolong'")).startsWith("specialpool: tag pattern 'Toolong': a tag as displayed");
        assertThat(kd("specialpool on")).startsWith("usage: kd:specialpool");
        assertThat(kd("specialpool maybe OverrunDriver")).startsWith("usage: kd:specialpool");
        assertThat(kd("specialpool on label Wasm")).startsWith("usage: kd:specialpool");
        assertThat(host.executive().pool().specialPoolTags()).isEmpty();
    }

    @Test
    void loadLmPoolusedAndUnloadShouldWorkLikeTheDebugger() throws Exception {
        Path good = TestBundles.driverBundle(tmp.resolve("build"), GoodDriver.class);
        assertThat(kd("load " + good)).isEqualTo("GoodDriver: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded");
        assertThat(kd("lm")).containsPattern("GoodDriver +loaded .* off +1 +0");
        assertThat(kd("poolused")).contains("Good");
        assertThat(kd("poolused 2")).contains("Sorting by  NonPaged");
        assertThat(kd("poolused 4 'Go*'")).contains("Sorting by  Paged").contains("Good").doesNotContain("MmLd");
        assertThat(kd("unload GoodDriver")).isEqualTo("GoodDriver: driver unloaded");
        assertThat(transcript.of("GoodDriver")).last().isEqualTo("GoodDriver: DriverUnload called");
        assertThat(kd("lm")).doesNotContain("GoodDriver");
        assertThat(kd("unload GoodDriver")).startsWith("unload GoodDriver: STATUS_OBJECT_NAME_NOT_FOUND");
    }

    @Test
    void unloadShouldRefuseWhatNtRefuses() throws Exception {
        Path stubborn = TestBundles.driverBundle(tmp.resolve("build"), StubbornDriver.class);
        assertThat(kd("load " + stubborn)).endsWith("driver loaded");
        assertThat(kd("unload StubbornDriver"))
                .isEqualTo("unload StubbornDriver: STATUS_INVALID_DEVICE_REQUEST (0xC0000010); the driver has no DriverUnload and stays loaded");
        assertThat(host.ioManager().driver("StubbornDriver")).hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DriverState.LOADED));
    }

    @Test
    void theVerifierFromTheShellShouldTurnALeakIntoBugCheck0xC4WithACrashReport() throws Exception {
        assertThat(kd("verifier on LeakyDriver")).isEqualTo("Driver Verifier on for LeakyDriver");
        Path leaky = TestBundles.driverBundle(tmp.resolve("build"), LeakyDriver.class);
        assertThat(kd("load " + leaky)).endsWith("driver loaded");
        assertThat(kd("verifier")).containsPattern("LeakyDriver +verified");
        assertThat(kd("unload LeakyDriver")).contains("DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4) (0x00000062",
                "LeakyDriver unloaded without freeing 2 pool allocation(s)", "allocated at dev.ringzero.distribution.corpus.LeakyDriver.DriverEntry");
        String bugchecks = kd("bugchecks");
        assertThat(bugchecks).contains("[driver LeakyDriver, during unload]").contains("crash report: ");
        Path crash = Path.of(bugchecks.lines().filter(l -> l.contains("crash report: ") && l.contains("LeakyDriver"))
                .findFirst().orElseThrow().substring(bugchecks.lines().filter(l -> l.contains("crash report: ")
                        && l.contains("LeakyDriver")).findFirst().orElseThrow().indexOf("crash report: ") + "crash report: ".length()));
        assertThat(Files.readString(crash)).contains("Driver:  LeakyDriver", "Pool (!poolused):", "Lookaside lists (!lookaside)");
        assertThat(host.executive().pool().outstanding(events.bugChecks.getLast().report().owner())).as("reclaimed").isEmpty();
        assertThat(kd("verifier off LeakyDriver")).isEqualTo("Driver Verifier off for LeakyDriver");
    }

    @Test
    void allocatorsShouldListSelectAndRefuseToRemoveWhatIsInUse() throws Exception {
        String before = host.executive().selectedLookaside().name();
        assertThat(kd("allocators")).contains("* " + before).contains("(* serves new lists)");
        assertThat(kd("allocators select nosuch")).startsWith("allocators select: no lookaside implementation 'nosuch'");
        assertThat(kd("allocators remove " + before)).contains("is selected for new lists; select another first");
        assertThat(kd("allocators select " + before)).startsWith("new lookaside lists use '" + before + "'");
    }

    @Test
    void driversShouldSeeTheExecutiveOnlyThroughTheirOwnViews() throws Exception {
        // (the OSGi registry is out of a driver's reach altogether: ContainmentCorpusIT)
        Path snooping = TestBundles.driverBundle(tmp.resolve("build"), SnoopingDriver.class);
        assertThat(kd("load " + snooping)).endsWith("driver loaded");
        assertThat(transcript.of("SnoopingDriver")).contains("SnoopingDriver: ExecutivePool from its own bundle: not visible",
                "SnoopingDriver: ExecutivePool via the driver object: refused");
        assertThat(transcript.of("SnoopingDriver")).anyMatch(l -> l.startsWith("SnoopingDriver: my pool view belongs to SnoopingDriver"));
        assertThat(kd("unload SnoopingDriver")).isEqualTo("SnoopingDriver: driver unloaded");
    }

    @Test
    void underTheVerifierListsShouldHaveDepth0AndAnUndeletedListShouldBeBugCheck0xC7AtUnload() throws Exception {
        assertThat(kd("verifier on UndeletedListDriver")).isEqualTo("Driver Verifier on for UndeletedListDriver");
        Path undeleted = TestBundles.driverBundle(tmp.resolve("build"), UndeletedListDriver.class);
        assertThat(kd("load " + undeleted)).endsWith("driver loaded");
        var owner = host.ioManager().driver("UndeletedListDriver").orElseThrow().owner();
        assertThat(host.executive().lookasideRegistry().ownedBy(owner)).singleElement()
                .satisfies(l -> assertThat(l.depth()).as("Depth under the verifier").isZero());
        assertThat(kd("unload UndeletedListDriver")).contains("TIMER_OR_DPC_INVALID (0xC7) (0x0000004C");
        assertThat(host.executive().lookasideRegistry().ownedBy(owner)).isEmpty();
        assertThat(host.executive().pool().outstanding(owner)).isEmpty();
    }

    @Test
    void aFaultOnADriversThreadShouldUnloadThatDriverAndLeaveTheOthersServing() throws Exception {
        Path good = TestBundles.driverBundle(tmp.resolve("build-2"), GoodDriver.class);
        assertThat(kd("load " + good)).endsWith("driver loaded");
        Path faulting = TestBundles.driverBundle(tmp.resolve("build"), ThreadFaultDriver.class);
        assertThat(kd("load " + faulting)).endsWith("driver loaded");
        Events.Unloaded unloaded = Events.next(events.unloaded, "the unload of the faulting driver");
        while (!unloaded.driver().equals("ThreadFaultDriver")) {
            unloaded = Events.next(events.unloaded, "the unload of the faulting driver");
        }
        assertThat(events.bugChecks).anySatisfy(s -> assertThat(s.report().headline())
                .contains("SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x7E)", "[driver ThreadFaultDriver, during ThreadFaultDriver: faulting worker]"));
        assertThat(transcript.of("ThreadFaultDriver")).last().isEqualTo("ThreadFaultDriver: DriverUnload called");
        assertThat(host.ioManager().drivers()).doesNotContainKey("ThreadFaultDriver").containsKey("GoodDriver");
        assertThat(kd("unload GoodDriver")).isEqualTo("GoodDriver: driver unloaded");
    }

    @Test
    void aFaultOnADriversThreadDuringItsDriverEntryShouldUnloadItOnceDriverEntryReturns() throws Exception {
        Path faulting = TestBundles.driverBundle(tmp.resolve("build-5"), EntryThreadFaultDriver.class);
        assertThat(kd("load " + faulting)).endsWith("driver loaded");
        Events.Unloaded unloaded = Events.next(events.unloaded, "the unload of the driver whose thread faulted");
        while (!unloaded.driver().equals("EntryThreadFaultDriver")) {
            unloaded = Events.next(events.unloaded, "the unload of the driver whose thread faulted");
        }
        assertThat(events.bugChecks).anySatisfy(s -> assertThat(s.report().headline()).contains(
                "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x7E)", "[driver EntryThreadFaultDriver, during EntryThreadFaultDriver: faulting worker]"));
        assertThat(transcript.of("EntryThreadFaultDriver")).containsSubsequence(
                "EntryThreadFaultDriver: DriverEntry returns after its thread faulted", "EntryThreadFaultDriver: DriverUnload called");
        assertThat(host.ioManager().drivers()).doesNotContainKey("EntryThreadFaultDriver");
    }
}
