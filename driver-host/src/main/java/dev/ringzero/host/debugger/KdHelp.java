package dev.ringzero.host.debugger;

import java.util.Map;
import java.util.TreeMap;

/**
 * What each {@code kd} command does and takes, in words: the text of {@code help kd:NAME} (the shell bundle's
 * Gogo {@code @Descriptor}s are these constants) and of the usage line the host answers a wrong call and
 * {@code NAME -h} with. One place, so the two never disagree.
 */
public final class KdHelp {

    public static final String LM = "List the loaded drivers: state, image, verifier, pool blocks and lookaside lists;"
            + " under a quarantined driver, its hung thread and the CPU time it has used";
    public static final String LM_ARGS = "(none)";

    public static final String LOOKASIDE = "!lookaside: every registered lookaside list, or the one at ADDRESS;"
            + " 1 resets its counters, 2 sets its Depth to DEPTH (0..MaximumDepth)";
    public static final String LOOKASIDE_ARGS = "[ADDRESS [1|2 DEPTH]]  ADDRESS hex; DEPTH hex as in WinDbg, 0n for decimal (0n10)";

    public static final String POOLUSED = "!poolused: per-tag pool usage, non-paged and paged";
    public static final String POOLUSED_ARGS = "[FLAGS] [TAG]  FLAGS 2 sorts by non-paged, 4 by paged bytes;"
            + " TAG may hold * and ? (quote it: 'Lk*')";

    public static final String POOLMON = "A live PoolMon, refreshed every second: P pool type, T tag, A allocs, F frees,"
            + " S diff, B bytes, M per alloc, ( sort by change, E totals, Q quit";
    public static final String POOLMON_ARGS = "(none)  keys act when Enter follows in the shell's line mode";

    public static final String LOAD = "Load a driver bundle";
    public static final String LOAD_ARGS = "JAR|NAME  a path, or NAME[.jar] in drivers/ or samples/";

    public static final String UNLOAD = "ZwUnloadDriver: unload a driver (refused, STATUS_INVALID_DEVICE_REQUEST, without"
            + " DriverUnload)";
    public static final String UNLOAD_ARGS = "NAME  the driver's name, as lm lists it";

    public static final String ALLOCATORS = "The lookaside implementations (built-in or from allocators/) with their version"
            + " and the lists each serves; select one for new lists, remove one that serves no list";
    public static final String ALLOCATORS_ARGS = "[select|remove NAME]";

    public static final String VERIFIER = "Driver Verifier: show it, or switch it for every driver or for one";
    public static final String VERIFIER_ARGS = "[on|off] [NAME]";

    public static final String SPECIALPOOL = "The verifier's special pool: show it, or switch it for a driver or for every"
            + " block of a tag";
    public static final String SPECIALPOOL_ARGS = "[on|off NAME | on|off tag TAG]  TAG may hold * and ? (quote it: 'Lk*')";

    public static final String BUGCHECKS = "The bug checks caught so far, numbered for !analyze -v N, with their crash reports";
    public static final String BUGCHECKS_ARGS = "(none)";

    public static final String POOL = "!pool: the pool page holding ADDRESS: its region and every block on it (address,"
            + " size, previous size, Allocated/Free, tag), * on the block holding ADDRESS, and who allocated it";
    public static final String POOL_ARGS = "ADDRESS [FLAGS]  ADDRESS hex; FLAGS 1 adds each block's first bytes, 2 shows"
            + " only the block holding ADDRESS, 80000000 leaves out the tag's description";

    public static final String POOLFIND = "!poolfind: every block with a tag, live or free, in one pool";
    public static final String POOLFIND_ARGS = "TAG [POOLTYPE]  TAG four characters, ? any one, * any rest (quote it:"
            + " 'Wa*'), or a value 0x6D736157; POOLTYPE 0 non-paged (default), 1 paged, 2 special pool";

    public static final String DT = "dt: a type's fields and offsets, and their values at ADDRESS; types are the API's"
            + " layouts (LIST_ENTRY, GENERAL_LOOKASIDE, ...) and those drivers register (SOME_STRUCTURE)";
    public static final String DT_ARGS = "[-r] TYPE [ADDRESS] | *  TYPE as nt!_LIST_ENTRY, LIST_ENTRY, DRIVER!TYPE or TYPE;"
            + " -r expands nested structures; * lists the types";

    public static final String DB = "db: bytes and their ASCII characters (128 bytes unless L says)";
    public static final String DW = "dw: 16-bit words (64 unless L says)";
    public static final String DD = "dd: 32-bit double words (32 unless L says)";
    public static final String DQ = "dq: 64-bit quad words (16 unless L says)";
    public static final String DUMP_ARGS = "ADDRESS [L COUNT]  ADDRESS hex; COUNT how many units (L20, L 20, L0n32)";

    public static final String LIST = "!list: walk a LIST_ENTRY chain from the structure at ADDRESS through its FIELD,"
            + " running COMMAND on each (dd by default); stops at NULL, at the first structure, or at the list head";
    public static final String LIST_ARGS = "-t TYPE.FIELD [-x \"COMMAND\"] [-m MAX] [-e] ADDRESS  COMMAND is dt TYPE,"
            + " db, dw, dd, dq or pool, with the structure's address appended (or put where $extret is); -e echoes it";

    public static final String ANALYZE = "!analyze -v: the last bug check (or the Nth of bugchecks): every parameter named,"
            + " the driver, what it was doing, the stack, and the memory it holds";
    public static final String ANALYZE_ARGS = "-v [N]  N counts from 1, as bugchecks numbers them";

    public static final String DRVOBJ = "!drvobj: a driver object: its name, state, image, unload routine, the types it"
            + " registered, its lookaside lists and its pool blocks";
    public static final String DRVOBJ_ARGS = "NAME  the driver's name or \\Driver\\NAME";

    /** The synopsis of each command, for its usage line and {@code kd:commands}. */
    public static final Map<String, String> SYNOPSIS = new TreeMap<>(Map.ofEntries(
            Map.entry("lm", "lm"),
            Map.entry("lookaside", "lookaside " + LOOKASIDE_ARGS),
            Map.entry("poolused", "poolused " + POOLUSED_ARGS),
            Map.entry("poolmon", "poolmon"),
            Map.entry("load", "load " + LOAD_ARGS),
            Map.entry("unload", "unload " + UNLOAD_ARGS),
            Map.entry("allocators", "allocators " + ALLOCATORS_ARGS),
            Map.entry("verifier", "verifier " + VERIFIER_ARGS),
            Map.entry("specialpool", "specialpool " + SPECIALPOOL_ARGS),
            Map.entry("bugchecks", "bugchecks"),
            Map.entry("pool", "pool " + POOL_ARGS),
            Map.entry("poolfind", "poolfind " + POOLFIND_ARGS),
            Map.entry("dt", "dt " + DT_ARGS),
            Map.entry("db", "db " + DUMP_ARGS),
            Map.entry("dw", "dw " + DUMP_ARGS),
            Map.entry("dd", "dd " + DUMP_ARGS),
            Map.entry("dq", "dq " + DUMP_ARGS),
            Map.entry("list", "list " + LIST_ARGS),
            Map.entry("analyze", "analyze " + ANALYZE_ARGS),
            Map.entry("drvobj", "drvobj " + DRVOBJ_ARGS)));

    /** What each command does, as its usage line ends. */
    public static final Map<String, String> DESCRIPTION = new TreeMap<>(Map.ofEntries(
            Map.entry("lm", LM), Map.entry("lookaside", LOOKASIDE), Map.entry("poolused", POOLUSED),
            Map.entry("poolmon", POOLMON),
            Map.entry("load", LOAD), Map.entry("unload", UNLOAD), Map.entry("allocators", ALLOCATORS),
            Map.entry("verifier", VERIFIER), Map.entry("specialpool", SPECIALPOOL), Map.entry("bugchecks", BUGCHECKS),
            Map.entry("pool", POOL), Map.entry("poolfind", POOLFIND), Map.entry("dt", DT), Map.entry("db", DB),
            Map.entry("dw", DW), Map.entry("dd", DD), Map.entry("dq", DQ), Map.entry("list", LIST),
            Map.entry("analyze", ANALYZE), Map.entry("drvobj", DRVOBJ)));

    private KdHelp() {
    }

    /** {@code usage: kd:NAME ARGS   DESCRIPTION}: the line a wrong call of {@code command} and {@code command -h} get. */
    public static String usage(String command) {
        String s = SYNOPSIS.get(command);
        if (s == null) {
            throw new IllegalArgumentException("no kd command " + command);
        }
        return "usage: kd:" + s + "   " + DESCRIPTION.get(command);
    }

    /** Whether {@code args} ask for help: {@code -h}, {@code --help} or {@code -?} alone. */
    public static boolean isHelp(String... args) {
        return args.length == 1 && (args[0].equals("-h") || args[0].equals("--help") || args[0].equals("-?"));
    }
}
