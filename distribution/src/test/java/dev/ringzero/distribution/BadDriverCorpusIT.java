package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Driver;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.distribution.corpus.DoubleFreeDriver;
import dev.ringzero.distribution.corpus.LeakyDriver;
import dev.ringzero.distribution.corpus.ListThiefDriver;
import dev.ringzero.distribution.corpus.OverrunDriver;
import dev.ringzero.distribution.corpus.ThiefDriver;
import dev.ringzero.distribution.corpus.UndeletedListDriver;
import dev.ringzero.distribution.corpus.UseAfterFreeDriver;
import dev.ringzero.distribution.corpus.VictimDriver;
import dev.ringzero.distribution.corpus.WildListEntryDriver;
import dev.ringzero.distribution.corpus.WrongTagDriver;
import dev.ringzero.distribution.drivers.FaultingDriver;
import dev.ringzero.distribution.drivers.GoodDriver;
import dev.ringzero.distribution.drivers.HangingDriver;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-driver corpus through {@code bin/ringzero run}, all in one run: each driver's bug is caught as
 * its own bug check with a crash report, the drivers after it still load, the run reports and exits 3,
 * the JVM exits normally and leaves no {@code hs_err} file.
 */
class BadDriverCorpusIT {

    @TempDir
    static Path tmp;

    private static List<String> stdout;
    private static String report;
    private static int exitCode;

    @BeforeAll
    static void runTheCorpus() throws Exception {
        Path home = Distribution.home();
        Path jars = tmp.resolve("jars");
        List<Class<? extends Driver>> corpus = List.of(VictimDriver.class, ThiefDriver.class, ListThiefDriver.class, DoubleFreeDriver.class,
                OverrunDriver.class, UseAfterFreeDriver.class, WildListEntryDriver.class, WrongTagDriver.class,
                LeakyDriver.class, UndeletedListDriver.class, FaultingDriver.class, HangingDriver.class, GoodDriver.class);
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/ringzero").toString(), "run",
                "--watchdog", "10", "--verify", "LeakyDriver", "--verify", "UndeletedListDriver",
                "--special-pool", "OverrunDriver", "--special-pool-tag", "Uaf?")); // special pool by name and by tag
        for (Class<? extends Driver> d : corpus) {
            command.add(TestBundles.driverBundle(jars, d).toString());
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("RINGZERO_OPTS");
        Path out = tmp.resolve("stdout.txt");
        pb.redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ringzero run did not finish within 120 s; output so far:\n" + Files.readString(out));
        }
        exitCode = p.exitValue();
        stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
        report = String.join("\n", stdout);
    }

    @Test
    void theRunShouldReportAndExit3AndTheJvmShouldExitNormally() throws Exception {
        assertThat(exitCode).as(report).isEqualTo(3);
        assertThat(report).contains("--- ringzero run: report ---");
        try (Stream<Path> files = Stream.concat(Files.list(tmp), Files.list(Distribution.home()))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("JVM crash files").noneMatch(f -> f.startsWith("hs_err"));
        }
    }

    @Test
    void theDriversAfterEachBugCheckShouldStillLoad() {
        assertThat(report).as(report)
                .contains("GoodDriver: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded")
                .contains("GoodDriver: DriverUnload called")
                .contains("HangingDriver: DriverEntry did not return within 10000 ms (watchdog); driver quarantined");
    }

    @Test
    void eachBugShouldBeItsOwnBugCheck() {
        assertThat(stop("DoubleFreeDriver")).as(report).contains("BAD_POOL_CALLER (0xC2) (0x00000007, 0x00000000, ");  // already free
        assertThat(stop("WrongTagDriver")).as(report).contains("BAD_POOL_CALLER (0xC2) (0x0000000A, ")  // tag mismatch, no other subcode
                .contains(String.format(", 0x%08X, 0x%08X)", PoolTag.fromDisplay("Bad!"), PoolTag.fromDisplay("Oops")));
        assertThat(stop("OverrunDriver")).as(report).contains("(0xD6)");
        assertThat(stop("UseAfterFreeDriver")).as(report).contains("(0xD5)");
        assertThat(stop("WildListEntryDriver")).as(report).contains("KERNEL_SECURITY_CHECK_FAILURE (0x139)");
        assertThat(stop("FaultingDriver")).as(report).contains("SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x7E)");
        assertThat(stop("UndeletedListDriver")).as(report).contains("TIMER_OR_DPC_INVALID (0xC7)");
        assertThat(stop("LeakyDriver")).as(report).contains("DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4)");
    }

    @Test
    void freeingAnotherDriversBlockOrDeletingItsListShouldBugCheckTheThiefAndLeaveTheOwnerAlone() {
        assertThat(stop("ThiefDriver")).as(report)
                .contains("BAD_POOL_CALLER (0xC2) (0x0000000D, ")  // another owner's block (Ringzero's own sub-code)
                .contains(String.format(", 0x%08X, ", PoolTag.fromDisplay("Vctm")))
                .contains("belongs to VictimDriver");
        assertThat(stop("ListThiefDriver")).as(report)
                .contains("KERNEL_SECURITY_CHECK_FAILURE (0x139) (0x00000003, 0x00000000, 0x00000000, 0x00000000)")
                .contains("belongs to VictimDriver");
        assertThat(report).as(report).doesNotContain("[driver VictimDriver")
                .contains("VictimDriver: block intact at unload", "VictimDriver: lookaside list still usable at unload, and deleted");
    }

    @Test
    void theLeakUnderTheVerifierShouldNameTheDriverTheCountAndWhereEachBlockWasAllocated() throws Exception {
        String crash = Files.readString(crashReport("LeakyDriver"));
        assertThat(crash).as(crash)
                .contains("DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4)")
                .contains("LeakyDriver unloaded without freeing 2 pool allocation(s)")
                .contains("Bad!").contains("Lk2!").contains("NonPaged").contains("Paged")
                .contains("allocated at dev.ringzero.distribution.corpus.LeakyDriver.DriverEntry(LeakyDriver.java")
                .contains("Pool (!poolused):").contains("Lookaside lists (!lookaside)");
    }

    @Test
    void crashReportsShouldNameTheStopItsParametersTheDriverAndTheStack() throws Exception {
        String crash = Files.readString(crashReport("DoubleFreeDriver"));
        assertThat(crash).as(crash)
                .contains("Driver:  DoubleFreeDriver").contains("Stop:    BAD_POOL_CALLER (0xC2)")
                .contains("Arg1: 0x00000007, violation type").contains("Stack:").contains("DoubleFreeDriver.DriverEntry")
                .contains("Pool (!poolused):").contains("Pool blocks still held by DoubleFreeDriver:");
    }

    /** The headline of {@code driver}'s bug check in the report. */
    private static String stop(String driver) {
        // a headline may span lines (a leak lists its blocks): each one ends with "[driver NAME, during PHASE]"
        for (String headline : report.split("\\*\\*\\* STOP: ")) {
            int end = headline.indexOf("[driver " + driver + ",");
            if (end >= 0) {
                return headline.substring(0, end);
            }
        }
        throw new AssertionError("no bug check for " + driver + " in:\n" + report);
    }

    private static Path crashReport(String driver) {
        Pattern p = Pattern.compile("\\s+crash report: (.*bugcheck-[^ ]*-" + driver + "-0x[0-9A-F]+\\.txt)");
        for (String line : stdout) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return Path.of(m.group(1));
            }
        }
        throw new AssertionError("no crash report for " + driver + " in:\n" + report);
    }
}
