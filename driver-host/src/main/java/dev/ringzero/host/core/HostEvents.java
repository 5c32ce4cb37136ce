package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.spi.memory.PoolBlockInfo;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The I/O manager's JFR events, category {@code Ringzero}: bug checks, driver loads and unloads (with their
 * durations), and the verifier's findings. All are on by default and rare; {@code etc/ringzero.jfc} names them
 * with the pool's and the lookaside machinery's. Each is made from the typed record the host already has
 * ({@link BugCheckReport}, {@link DriverOutcome}); text is the record's own.
 */
final class HostEvents {

    private HostEvents() {
    }

    @Name("dev.ringzero.BugCheck")
    @Label("Bug Check")
    @Category("Ringzero")
    @Description("A bug check the host caught and charged to a driver (or the system)")
    @StackTrace(false)
    static final class BugCheckEvent extends Event {
        @Label("Code") @Description("The stop code, e.g. 0xC2") String code;
        @Label("Code Name") String codeName;
        @Label("Parameter 1") long parameter1;
        @Label("Parameter 2") long parameter2;
        @Label("Parameter 3") long parameter3;
        @Label("Parameter 4") long parameter4;
        @Label("Driver") String driver;
        @Label("Phase") @Description("What the driver was doing: DriverEntry, DriverUnload, unload, a thread's name, lookaside scan")
        String phase;
        @Label("Detail") String detail;
    }

    @Name("dev.ringzero.DriverLoad")
    @Label("Driver Load")
    @Category("Ringzero")
    @Description("A driver's load: its DriverEntry and what came of it; the duration is the whole load")
    @StackTrace(false)
    static final class DriverLoadEvent extends Event {
        @Label("Driver") String driver;
        @Label("State") @Description("LOADED, UNLOADED or QUARANTINED after the load") String state;
        @Label("Status") @Description("What DriverEntry returned (or the I/O manager answered); empty after a bug check or a hang")
        String status;
        @Label("Status Value") @Description("The NTSTATUS as a signed 32-bit value; 0 when there is none") int statusValue;
        @Label("Bug Check") @Description("The stop code that ended the load, or empty") String bugCheck;
    }

    @Name("dev.ringzero.DriverUnload")
    @Label("Driver Unload")
    @Category("Ringzero")
    @Description("A driver's unload: its DriverUnload (if it set one), the verifier's checks and the reclaim of its memory")
    @StackTrace(false)
    static final class DriverUnloadEvent extends Event {
        @Label("Driver") String driver;
        @Label("DriverUnload Called") boolean unloadRoutine;
        @Label("State") @Description("UNLOADED, or QUARANTINED when its code would not end") String state;
        @Label("Findings") @Description("What the unload found (leaks, undeleted lists, bug checks), one line each; empty when clean")
        String findings;
        @Label("Leaked Blocks") @Description("Pool blocks the driver left; the host reclaimed them") int leakedBlocks;
        @Label("Leaked Bytes") @DataAmount long leakedBytes;
        @Label("Undeleted Lists") @Description("Lookaside lists the driver did not delete") int undeletedLists;
    }

    @Name("dev.ringzero.VerifierFinding")
    @Label("Verifier Finding")
    @Category("Ringzero")
    @Description("A bug check raised while the faulting driver ran under the verifier, or one the verifier itself raises (0xC4)")
    @StackTrace(false)
    static final class VerifierFindingEvent extends Event {
        @Label("Driver") String driver;
        @Label("Code") String code;
        @Label("Code Name") String codeName;
        @Label("Parameter 1") @Description("For 0xC4 the violation's subcode") long parameter1;
        @Label("Finding") String finding;
    }

    static void bugCheck(BugCheckReport r, boolean verified) {
        BugCheck b = r.bugCheck();
        BugCheckEvent e = new BugCheckEvent();
        if (e.shouldCommit()) {
            e.code = hex(b.code());
            e.codeName = b.code().name();
            e.parameter1 = b.parameter1();
            e.parameter2 = b.parameter2();
            e.parameter3 = b.parameter3();
            e.parameter4 = b.parameter4();
            e.driver = r.owner().name();
            e.phase = r.phase();
            e.detail = b.detail();
            e.commit();
        }
        VerifierFindingEvent v = new VerifierFindingEvent();
        if ((verified || b.code().equals(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION)) && v.shouldCommit()) {
            v.driver = r.owner().name();
            v.code = hex(b.code());
            v.codeName = b.code().name();
            v.parameter1 = b.parameter1();
            v.finding = b.detail();
            v.commit();
        }
    }

    /** Started before a load; {@link #loaded} ends and commits it. */
    static DriverLoadEvent loading() {
        DriverLoadEvent e = new DriverLoadEvent();
        e.begin();
        return e;
    }

    static void loaded(DriverLoadEvent e, DriverOutcome o) {
        e.end();
        if (e.shouldCommit()) {
            e.driver = o.name();
            e.state = o.state().name();
            e.status = o.status() == null ? "" : o.status().toString();
            e.statusValue = o.status() == null ? 0 : o.status().value();
            e.bugCheck = o.bugCheck() == null ? "" : hex(o.bugCheck().code()) + " " + o.bugCheck().code().name();
            e.commit();
        }
    }

    /** Started before an unload; {@link #unloaded} ends and commits it. */
    static DriverUnloadEvent unloading() {
        DriverUnloadEvent e = new DriverUnloadEvent();
        e.begin();
        return e;
    }

    static void unloaded(DriverUnloadEvent e, UnloadReport report, boolean unloadRoutine) {
        e.end();
        if (e.shouldCommit()) {
            e.driver = report.driver();
            e.unloadRoutine = unloadRoutine;
            e.state = report.state().name();
            e.findings = String.join("\n", report.lines());
            e.leakedBlocks = report.leakedBlocks().size();
            e.leakedBytes = report.leakedBlocks().stream().mapToLong(PoolBlockInfo::size).sum();
            e.undeletedLists = report.undeletedLists().size();
            e.commit();
        }
    }

    private static String hex(BugCheckCode code) {
        return String.format("0x%02X", code.code());
    }
}
