package dev.ringzero.host;

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
 */
record CommandLine(Command command, List<Path> jars, boolean haltOnBugCheck, boolean noInteractive, Duration watchdog) {

    /** What the user asked for. */
    enum Command {
        /** {@code ringzero}: the long-running host. */
        HOST,
        /** {@code ringzero run [JAR ...]}. */
        RUN,
        /** {@code ringzero --help}. */
        HELP
    }

    static final String USAGE = """
            Usage: ringzero [OPTIONS]                 start the host: platform bundles, drivers/ watched for hot deploy, Gogo shell
                   ringzero run [OPTIONS] [JAR ...]   load the given driver bundles (default: the sample LookasideList driver),
                                                      print their DbgPrint output and the host's report, unload them, exit

            Options:
              --halt-on-bugcheck   stop the host at the first bug check, like a blue screen (exit code 3)
              --nointeractive      the host starts no shell on the console and runs until it is stopped (Ctrl-C, SIGTERM);
                                   the default when standard input is not a terminal
              --watchdog SECONDS   how long DriverEntry and DriverUnload may run before the watchdog reports the driver
                                   and quarantines it (default %d)
              -h, --help           show this help and exit

            The host's folders (RINGZERO_HOME = the distribution's root): system/ platform bundles, drivers/ deploy folder,
            samples/ the sample driver, etc/ configuration, log/ dbgprint.log and crash reports, data/ framework storage.

            Exit codes: 0 the host behaved (a driver's failure status is reported, not an error); 1 the host failed;
                        2 a bad command line, or a jar that is missing, corrupt or no driver bundle;
                        3 a bug check, or a driver quarantined by the watchdog.
            """;

    static CommandLine parse(List<String> args, Duration defaultWatchdog) throws UsageException {
        Command command = null;
        List<Path> jars = new ArrayList<>();
        boolean halt = false;
        boolean noInteractive = false;
        Duration watchdog = defaultWatchdog;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!optionsEnded && a.startsWith("-") && !a.equals("-")) {
                switch (a) {
                    case "--" -> optionsEnded = true;
                    case "-h", "--help", "-help", "-?" -> command = Command.HELP;
                    case "--halt-on-bugcheck" -> halt = true;
                    case "--nointeractive" -> noInteractive = true;
                    case "--watchdog" -> {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --watchdog needs a number of seconds");
                        }
                        watchdog = seconds(args.get(++i));
                    }
                    default -> {
                        if (a.startsWith("--watchdog=")) {
                            watchdog = seconds(a.substring("--watchdog=".length()));
                        } else {
                            throw new UsageException("unknown option '" + a + "' (see ringzero --help)");
                        }
                    }
                }
            } else if (command == null && jars.isEmpty() && !optionsEnded) {
                switch (a) {
                    case "run" -> command = Command.RUN;
                    case "help" -> command = Command.HELP;
                    default -> throw new UsageException("unknown command '" + a + "' (see ringzero --help)");
                }
            } else if (command == Command.RUN) {
                jars.add(Path.of(a));
            } else if (command == Command.HELP) {
                // "ringzero help run": the help covers it
            } else {
                throw new UsageException("unexpected argument '" + a + "': only 'ringzero run' takes driver jars");
            }
        }
        return new CommandLine(command == null ? Command.HOST : command, List.copyOf(jars), halt, noInteractive, watchdog);
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
