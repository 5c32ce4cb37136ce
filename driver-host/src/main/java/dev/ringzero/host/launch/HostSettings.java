package dev.ringzero.host.launch;

import dev.ringzero.host.core.DbgPrintSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a {@link FelixHost}: where its folders are, which bundles it starts, and its limits.
 *
 * <p>The folders follow the distribution's layout ({@link #forHome}): {@code system/} holds the platform
 * bundles started always, {@code system/shell/} the Gogo shell and {@code system/deploy/} FileInstall,
 * both started only by the long-running host ({@link Mode#HOST}); {@code drivers/} is FileInstall's
 * deploy folder; {@code etc/config.properties} adds framework properties; {@code log/} gets
 * {@code dbgprint.log} and the crash reports; {@code data/} the framework's storage, one folder per
 * host process.
 *
 * @param home            the distribution's root ({@code ringzero.home})
 * @param systemDir       the platform bundles
 * @param driversDir      the deploy folder FileInstall watches ({@link Mode#HOST} only)
 * @param etcDir          configuration: {@code config.properties}, {@code gosh_profile}
 * @param logDir          {@code dbgprint.log} and crash reports
 * @param dataDir         framework storage
 * @param mode            {@link Mode#RUN} or {@link Mode#HOST}
 * @param interactive     whether Gogo reads the console ({@link Mode#HOST} only; else {@code --nointeractive})
 * @param watchdog        how long {@code DriverEntry} / {@code DriverUnload} may run
 * @param serviceTimeout  how long to wait for the executive's services at start
 * @param haltOnBugCheck  stop the host at the first bug check, like a blue screen
 * @param console         where driver {@code DbgPrint} lines go as they come (besides {@code log/dbgprint.log})
 * @param frameworkProperties extra framework properties, over {@code etc/config.properties}
 */
public record HostSettings(Path home, Path systemDir, Path driversDir, Path etcDir, Path logDir, Path dataDir, Mode mode,
                           boolean interactive, Duration watchdog, Duration serviceTimeout, boolean haltOnBugCheck,
                           DbgPrintSink console, Map<String, String> frameworkProperties) {

    /** The default {@link #watchdog}. */
    public static final Duration DEFAULT_WATCHDOG = Duration.ofSeconds(15);
    /** The default {@link #serviceTimeout}. */
    public static final Duration DEFAULT_SERVICE_TIMEOUT = Duration.ofSeconds(30);

    /** What the host is started for. */
    public enum Mode {
        /** {@code ringzero run}: the platform bundles only; drivers are loaded by the caller. */
        RUN,
        /** {@code ringzero}: also the Gogo shell and FileInstall watching {@code drivers/}. */
        HOST
    }

    public HostSettings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(systemDir, "systemDir");
        Objects.requireNonNull(driversDir, "driversDir");
        Objects.requireNonNull(etcDir, "etcDir");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(console, "console");
        if (watchdog.isNegative() || watchdog.isZero()) {
            throw new IllegalArgumentException("watchdog must be positive: " + watchdog);
        }
        if (serviceTimeout.isNegative() || serviceTimeout.isZero()) {
            throw new IllegalArgumentException("serviceTimeout must be positive: " + serviceTimeout);
        }
        frameworkProperties = Map.copyOf(frameworkProperties);
    }

    /** The distribution layout under {@code home}, {@link Mode#RUN}, DbgPrint lines to standard output. */
    public static HostSettings forHome(Path home) {
        Path h = home.toAbsolutePath().normalize();
        return new HostSettings(h, h.resolve("system"), h.resolve("drivers"), h.resolve("etc"), h.resolve("log"),
                h.resolve("data"), Mode.RUN, false, DEFAULT_WATCHDOG, DEFAULT_SERVICE_TIMEOUT, false,
                (driver, line) -> {
                    System.out.println(line);
                    System.out.flush();
                }, Map.of());
    }

    public HostSettings withMode(Mode m) {
        return new HostSettings(home, systemDir, driversDir, etcDir, logDir, dataDir, m, interactive, watchdog,
                serviceTimeout, haltOnBugCheck, console, frameworkProperties);
    }

    public HostSettings withInteractive(boolean i) {
        return new HostSettings(home, systemDir, driversDir, etcDir, logDir, dataDir, mode, i, watchdog,
                serviceTimeout, haltOnBugCheck, console, frameworkProperties);
    }

    public HostSettings withSystemDir(Path dir) {
        return new HostSettings(home, dir, driversDir, etcDir, logDir, dataDir, mode, interactive, watchdog,
                serviceTimeout, haltOnBugCheck, console, frameworkProperties);
    }

    public HostSettings withDriversDir(Path dir) {
        return new HostSettings(home, systemDir, dir, etcDir, logDir, dataDir, mode, interactive, watchdog,
                serviceTimeout, haltOnBugCheck, console, frameworkProperties);
    }

    public HostSettings withLogDir(Path dir) {
        return new HostSettings(home, systemDir, driversDir, etcDir, dir, dataDir, mode, interactive, watchdog,
                serviceTimeout, haltOnBugCheck, console, frameworkProperties);
    }

    public HostSettings withDataDir(Path dir) {
        return new HostSettings(home, systemDir, driversDir, etcDir, logDir, dir, mode, interactive, watchdog,
                serviceTimeout, haltOnBugCheck, console, frameworkProperties);
    }

    public HostSettings withWatchdog(Duration d) {
        return new HostSettings(home, systemDir, driversDir, etcDir, logDir, dataDir, mode, interactive, d,
                serviceTimeout, haltOnBugCheck, console, frameworkProperties);
    }

    public HostSettings withServiceTimeout(Duration d) {
        return new HostSettings(home, systemDir, driversDir, etcDir, logDir, dataDir, mode, interactive, watchdog,
                d, haltOnBugCheck, console, frameworkProperties);
    }

    public HostSettings withHaltOnBugCheck(boolean halt) {
        return new HostSettings(home, systemDir, driversDir, etcDir, logDir, dataDir, mode, interactive, watchdog,
                serviceTimeout, halt, console, frameworkProperties);
    }

    public HostSettings withConsole(DbgPrintSink sink) {
        return new HostSettings(home, systemDir, driversDir, etcDir, logDir, dataDir, mode, interactive, watchdog,
                serviceTimeout, haltOnBugCheck, sink, frameworkProperties);
    }

    /** Adds (or replaces) one framework property. */
    public HostSettings withFrameworkProperty(String key, String value) {
        Map<String, String> props = new LinkedHashMap<>(frameworkProperties);
        props.put(key, value);
        return new HostSettings(home, systemDir, driversDir, etcDir, logDir, dataDir, mode, interactive, watchdog,
                serviceTimeout, haltOnBugCheck, console, props);
    }
}
