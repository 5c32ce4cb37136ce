package dev.ringzero.host.felix;

import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverOutcome;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.Bundle;

/**
 * What the host tells its user as it happens: drivers loaded and unloaded, bug checks caught, its own
 * faults. Called on the host's threads; implementations return quickly and do not throw.
 */
public interface HostListener {

    /** {@code DriverEntry} of the driver in {@code bundle} has come to {@code outcome}. */
    default void driverLoaded(Bundle bundle, DriverOutcome outcome) {
    }

    /**
     * The driver in {@code bundle} was unloaded because its bundle stopped (or the host is stopping);
     * {@code notes} is what the unload found (leaks, a missing {@code DriverUnload}), one line each.
     */
    default void driverUnloaded(Bundle bundle, String driver, List<String> notes) {
    }

    /** A bug check was caught; its crash report is at {@code crashReport} ({@code null} if it could not be written). */
    default void bugCheck(BugCheckReport report, Path crashReport) {
    }

    /** Something in the host itself went wrong; the host goes on. */
    default void hostFault(String message, Throwable cause) {
    }

    /**
     * A jar in {@code drivers/} does not load (corrupt, no driver bundle, unresolvable), or such a jar was
     * removed: one line saying which and why.
     */
    default void driversFolder(String line) {
    }

    /**
     * Whether this listener shows every load's and unload's outcome and every bug check to the user who typed
     * the shell command (the interactive host's console): the shell's {@code load} and {@code unload} then
     * answer nothing more, so nothing is shown twice.
     */
    default boolean echoesOutcomes() {
        return false;
    }

    /** Tells each of {@code listeners}, in order, everything. */
    static HostListener all(HostListener... listeners) {
        List<HostListener> all = List.of(listeners);
        return new HostListener() {
            @Override
            public void driverLoaded(Bundle bundle, DriverOutcome outcome) {
                all.forEach(l -> l.driverLoaded(bundle, outcome));
            }

            @Override
            public void driverUnloaded(Bundle bundle, String driver, List<String> notes) {
                all.forEach(l -> l.driverUnloaded(bundle, driver, notes));
            }

            @Override
            public void bugCheck(BugCheckReport report, Path crashReport) {
                all.forEach(l -> l.bugCheck(report, crashReport));
            }

            @Override
            public void hostFault(String message, Throwable cause) {
                all.forEach(l -> l.hostFault(message, cause));
            }

            @Override
            public void driversFolder(String line) {
                all.forEach(l -> l.driversFolder(line));
            }
        };
    }
}
