package dev.ringzero.host.felix;

import dev.ringzero.host.core.HostThreads;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Keeps hot deploy alive. FileInstall watches {@code drivers/} from one thread of its own, which ends for
 * good when it is interrupted (it takes its lock interruptibly and returns), and any driver can reach any
 * thread: one careless interrupt would leave the host running with {@code drivers/} silently unwatched.
 * Once a second this guard looks for the watcher; when FileInstall is active but its watcher has gone, it
 * restarts FileInstall (which finds the deployed jars as it left them) and says so, once per restart.
 *
 * <p>The watcher is found by its thread name, {@code fileinstall-<folder>}: FileInstall publishes no
 * other handle on it, and the name is how its own logs and thread dumps show it.
 */
final class DeployWatcherGuard implements AutoCloseable {

    /** FileInstall's bundle. */
    static final String FILEINSTALL = "org.apache.felix.fileinstall";
    /** FileInstall's watcher thread is named this, followed by the folder it watches. */
    static final String WATCHER_PREFIX = "fileinstall-";

    private final BundleContext context;
    private final Path folder;
    private final HostListener listener;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            HostThreads.factory("Ringzero deploy watcher guard"));
    /** Restart only a watcher that was seen running: not while FileInstall is still starting it. */
    private boolean seen;

    DeployWatcherGuard(BundleContext context, Path folder, HostListener listener) {
        this.context = context;
        this.folder = folder.toAbsolutePath().normalize();
        this.listener = listener;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    /** One look; public for tests, which do not wait for the timer. */
    void check() {
        try {
            Bundle fileInstall = fileInstall();
            if (fileInstall == null || fileInstall.getState() != Bundle.ACTIVE) {
                seen = false;
                return;
            }
            if (watcherAlive()) {
                seen = true;
                return;
            }
            if (seen) {
                seen = false;
                fileInstall.stop(Bundle.STOP_TRANSIENT);
                fileInstall.start(Bundle.START_TRANSIENT);
                listener.hostFault("the watcher of " + folder + " (FileInstall) had stopped, interrupted by a driver;"
                        + " FileInstall restarted, hot deploy goes on", null);
            }
        } catch (BundleException | IllegalStateException | SecurityException e) {
            listener.hostFault("cannot restart FileInstall, whose watcher of " + folder + " stopped: " + e.getMessage(), e);
        }
    }

    private Bundle fileInstall() {
        for (Bundle b : context.getBundles()) {
            if (FILEINSTALL.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private boolean watcherAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(WATCHER_PREFIX)
                && Path.of(t.getName().substring(WATCHER_PREFIX.length())).toAbsolutePath().normalize().equals(folder)
                && t.isAlive());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
