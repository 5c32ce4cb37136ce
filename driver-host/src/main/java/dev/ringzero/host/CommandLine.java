package dev.ringzero.host;

import dev.ringzero.api.memory.PoolTag;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ringzero} command line, parsed.
 *
 * @param command        what to do
 * @param jars           {@code run}'s driver jars (empty: the sample driver)
 * @param haltOnBugCheck stop the host at the first bug check
 * @param noInteractive  start no shell on the console even if it is a terminal
 * @param watchdog       how long {@code DriverEntry} / {@code DriverUnload} may run
 * @param verifyAll      Driver Verifier on for every driver ({@code --verifier})
 * @param verify         Driver Verifier on for these driver names ({@code --verify NAME})
 * @param specialPool    the verifier's special pool for these driver names ({@code --special-pool NAME})
 * @param specialPoolTags the verifier's special pool for these tag patterns, whoever allocates ({@code --special-pool-tag TAG})
 * @param jfr            {@code run --jfr FILE}: the JFR recording of the run to write, or {@code null}
 * @param poolmonPid     {@code poolmon PID}: the host process to watch, or {@code null} (the only one running)
 */
record CommandLine(Command command, List<Path> jars, boolean haltOnBugCheck, boolean noInteractive, Duration watchdog,
                   boolean verifyAll, List<String> verify, List<String> specialPool, List<String> specialPoolTags,
                   Path jfr, Long poolmonPid) {

    CommandLine(Command command, List<Path> jars, boolean haltOnBugCheck, boolean noInteractive, Duration watchdog) {
        this(command, jars, haltOnBugCheck, noInteractive, watchdog, false, List.of(), List.of(), List.of(), null, null);
    }

    /** What the user asked for. */
    enum Command {
        /** {@code ringzero}: the long-running host. */
        HOST,
        /** {@code ringzero run [JAR ...]}. */
        RUN,
        /** {@code ringzero poolmon [PID]}: a live PoolMon of a running host on this machine. */
        POOLMON,
        /** {@code ringzero --help}. */
        HELP
    }

    static final String USAGE = """
            Usage: ringzero [OPTIONS]                 start the host: platform bundles, drivers/ watched for hot deploy, Gogo shell
                   ringzero run [OPTIONS] [JAR ...]   load the given driver bundles (default: the sample LookasideList driver),
                                                      print their DbgPrint output and the host's report, unload them, exit
                   ringzero poolmon [PID]             a live PoolMon of the host running on this machine (of process PID when
                                                      several run), over the local JMX connector it publishes in data/;
                                                      keys: P pool type, T tag, A allocs, F frees, S diff, B bytes,
                                                      M bytes per alloc, ( sort by change, E totals, Q quit

            Options:
              --halt-on-bugcheck   stop the host at the first bug check, like a blue screen (exit code 3)
              --nointeractive      the host starts no shell on the console and runs until it is stopped (Ctrl-C, SIGTERM);
                                   the default when standard input is not a terminal
              --watchdog SECONDS   how long DriverEntry and DriverUnload may run before the watchdog reports the driver
                                   and quarantines it (default %d)
              --verifier           Driver Verifier on for every driver: leaked pool at unload is bug check 0xC4/0x62
                                   (with where each block was allocated), an undeleted lookaside list 0xC7
              --verify NAME        Driver Verifier on for the driver NAME only (repeatable)
              --special-pool NAME  the verifier's special pool for the driver NAME: an overrun or a use after free
                                   faults at once (repeatable)
              --special-pool-tag TAG
                                   special pool for every block whose tag matches TAG, whichever driver allocates it:
                                   the tag as displayed, ? matches one character, * the rest (repeatable)
              --jfr FILE           (run) record the run with JFR, with etc/ringzero.jfc's settings (Ringzero's events
                                   only), into FILE; read it with 'jfr print --categories Ringzero FILE' or JMC
              -h, --help           show this help and exit

            The host's folders (RINGZERO_HOME = the distribution's root): system/ platform bundles, drivers/ deploy folder,
            samples/ the sample driver, etc/ configuration, log/ dbgprint.log, host.log and crash reports, data/ framework
            storage and the paged pool's page file.
            The host writes only to log/ and data/: RINGZERO_LOG and RINGZERO_DATA name other folders for them (a read-only
            installation).

            Exit codes: 0 the host behaved (a driver's failure status is reported, not an error); 1 the host failed;
                        2 a bad command line; a jar that is missing, corrupt, no driver bundle, named twice or holding a
                          driver name another jar holds (each one line, before any driver loads); a jar whose imports do
                          not resolve, or whose driver cannot be created (entry class missing or no Driver, constructor
                          failing): one line each, and the other drivers still run;
                        3 a bug check, or a driver quarantined by the watchdog (3 outranks 2).
            """;

    static CommandLine parse(List<String> args, Duration defaultWatchdog) throws UsageException {
        Command command = null;
        List<Path> jars = new ArrayList<>();
        boolean halt = false;
        boolean noInteractive = false;
        Duration watchdog = defaultWatchdog;
        boolean verifyAll = false;
        List<String> verify = new ArrayList<>();
        List<String> special = new ArrayList<>();
        List<String> specialTags = new ArrayList<>();
        Path jfr = null;
        Long pid = null;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!optionsEnded && a.startsWith("-") && !a.equals("-")) {
                switch (a) {
                    case "--" -> optionsEnded = true;
                    case "-h", "--help", "-help", "-?" -> command = Command.HELP;
                    case "--halt-on-bugcheck" -> halt = true;
                    case "--nointeractive" -> noInteractive = true;
                    case "--verifier" -> verifyAll = true;
                    case "--verify" -> {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --verify needs a driver name");
                        }
                        verify.add(args.get(++i));
                    }
                    case "--special-pool" -> {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --special-pool needs a driver name");
                        }
                        special.add(args.get(++i));
                    }
                    case "--special-pool-tag" -> {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --special-pool-tag needs a tag (e.g. Wasm, Lk*)");
                        }
                        specialTags.add(tagPattern(args.get(++i)));
                    }
                    case "--jfr" -> {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --jfr needs the file to write the recording into");
                        }
                        jfr = Path.of(args.get(++i));
                    }
                    case "--watchdog" -> {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --watchdog needs a number of seconds");
                        }
                        watchdog = seconds(args.get(++i));
                    }
                    default -> {
                        if (a.startsWith("--verify=") && a.length() > "--verify=".length()) {
                            verify.add(a.substring("--verify=".length()));
                        } else if (a.startsWith("--watchdog=")) {
                            watchdog = seconds(a.substring("--watchdog=".length()));
                        } else {
                            throw new UsageException("unknown option '" + a + "' (see ringzero --help)");
                        }
                    }
                }
            } else if (command == null && jars.isEmpty() && !optionsEnded) {
                switch (a) {
                    case "run" -> command = Command.RUN;
                    case "poolmon" -> command = Command.POOLMON;
                    case "help" -> command = Command.HELP;
                    default -> throw new UsageException("unknown command '" + a + "' (see ringzero --help)");
                }
            } else if (command == Command.RUN) {
                jars.add(Path.of(a));
            } else if (command == Command.POOLMON && pid == null) {
                pid = pid(a);
            } else if (command == Command.HELP) {
                // "ringzero help run": the help covers it
            } else {
                throw new UsageException("unexpected argument '" + a + "': only 'ringzero run' takes driver jars");
            }
        }
        if (jfr != null && command != Command.RUN) {
            throw new UsageException("option --jfr records a 'ringzero run'; a running host is recorded with jcmd PID JFR.start"
                    + " settings=etc/ringzero.jfc");
        }
        return new CommandLine(command == null ? Command.HOST : command, List.copyOf(jars), halt, noInteractive, watchdog,
                verifyAll, List.copyOf(verify), List.copyOf(special), List.copyOf(specialTags), jfr, pid);
    }

    private static Long pid(String text) throws UsageException {
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UsageException("'ringzero poolmon' takes a host's process id, not '" + text + "'");
    }

    private static String tagPattern(String text) throws UsageException {
        try {
            return PoolTag.checkPattern(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --special-pool-tag: " + e.getMessage());
        }
    }

    private static Duration seconds(String text) throws UsageException {
        try {
            BigDecimal s = new BigDecimal(text);
            Duration d = Duration.ofMillis(s.movePointRight(3).longValueExact());
            if (d.isNegative() || d.isZero()) {
                throw new UsageException("--watchdog must be a positive number of seconds, not '" + text + "'");
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("--watchdog must be a positive number of seconds, not '" + text + "'");
        }
    }
}
