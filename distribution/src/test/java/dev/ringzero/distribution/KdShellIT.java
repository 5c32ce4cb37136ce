package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.felix.HostSettings;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void helpShouldListEveryCommandWithItsUsage() throws Exception {
        assertThat(kd("kd:commands")).contains("lm", "lookaside [ADDRESS [1|2 DEPTH]]", "poolused [FLAGS] [TAG]", "load JAR|NAME",
                "unload NAME", "allocators [select|remove NAME]", "verifier [on|off] [NAME]", "specialpool [on|off NAME | on|off tag TAG]", "bugchecks");
        // Gogo's own help knows the kd commands (no @Descriptor: the host does not depend on the Gogo runtime)
        assertThat(kd("help kd:poolused")).contains("poolused", "scope: kd");
        assertThat(kd("poolused -h")).startsWith("usage: kd:poolused [FLAGS] [TAG]");
        assertThat(kd("allocators frobnicate")).startsWith("usage: kd:allocators");
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
                    "usage: kd:lookaside [ADDRESS [1|2 DEPTH]]   !lookaside: every registered list, or the one at ADDRESS"
                            + " (hex); 1 resets its counters, 2 sets its Depth (0..MaximumDepth; hex as in WinDbg, 0n for decimal: 0n10)");
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
        assertThat(transcript.of("SnoopingDriver")).contains("SnoopingDriver: ExecutivePool via the driver object: refused");
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
