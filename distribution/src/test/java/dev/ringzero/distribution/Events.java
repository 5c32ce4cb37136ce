package dev.ringzero.distribution;

import dev.ringzero.host.core.BugCheckReport;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.felix.HostListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;

/** What the host reported, kept for assertions; the queues let a test wait for the next event. */
final class Events implements HostListener {

    record Loaded(Bundle bundle, DriverOutcome outcome) {
    }

    record Unloaded(Bundle bundle, String driver, List<String> notes) {
    }

    record Stop(BugCheckReport report, Path crashReport) {
    }

    final BlockingQueue<Loaded> loaded = new LinkedBlockingQueue<>();
    final BlockingQueue<Unloaded> unloaded = new LinkedBlockingQueue<>();
    final List<Loaded> allLoaded = new CopyOnWriteArrayList<>();
    final List<Stop> bugChecks = new CopyOnWriteArrayList<>();
    final BlockingQueue<Stop> stops = new LinkedBlockingQueue<>();
    final List<String> faults = new CopyOnWriteArrayList<>();

    @Override
    public void driverLoaded(Bundle bundle, DriverOutcome outcome) {
        Loaded l = new Loaded(bundle, outcome);
        allLoaded.add(l);
        loaded.add(l);
    }

    @Override
    public void driverUnloaded(Bundle bundle, String driver, List<String> notes) {
        unloaded.add(new Unloaded(bundle, driver, notes));
    }

    @Override
    public void bugCheck(BugCheckReport report, Path crashReport) {
        Stop stop = new Stop(report, crashReport);
        bugChecks.add(stop);
        stops.add(stop);
    }

    @Override
    public void hostFault(String message, Throwable cause) {
        faults.add(message);
    }

    static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        T t = queue.poll(60, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no " + what + " within 60 s");
        }
        return t;
    }
}
