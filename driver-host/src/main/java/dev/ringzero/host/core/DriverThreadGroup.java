package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The thread group of one load of one driver. Every thread the host runs driver code on — the
 * constructor's and {@code DriverEntry}'s system workers, {@code DriverUnload}'s, the driver's system
 * threads — starts in it, and so does every platform thread the driver starts itself ({@code new Thread},
 * an {@code ExecutorService}): a new thread joins its creator's group. So the host can tell, at unload,
 * which threads still run the driver's code ({@link #liveThreads}), and whose a thread is
 * ({@link #of(Thread)}).
 *
 * <p>An exception a driver's own thread does not catch reaches {@link #uncaughtException}: it is the
 * driver's bug check ({@code 0x7E} for a plain exception, the bug check itself for one), reported with
 * the phase {@link BugCheckPhase.SystemThread} ({@code <driver>: thread <name>}), which the host treats like a fault on a system thread
 * (the driver is unloaded). Java would only print it to standard error.
 *
 * <p>Threads that infrastructure creates lazily while serving a driver's thread (a JDK pool's first
 * worker, say) join the group too; so a thread of the group counts as the driver's at its unload only if
 * it runs the driver's code then ({@link #runsDriverCode}). The host's own threads are in a group of their
 * own ({@link HostThreads}).
 *
 * <p>Limits: a virtual thread belongs to no platform thread group (the JDK puts them all in one), so a
 * driver's virtual threads are neither found at unload nor attributed; nor is driver code the driver
 * hands to a thread it did not start (the common fork-join pool, a host thread).
 */
final class DriverThreadGroup extends ThreadGroup {

    private static final ThreadGroup DRIVERS = new ThreadGroup("Ringzero drivers");

    private final Owner owner;
    private final BiConsumer<BugCheckPhase, BugCheck> onFault;
    private final Function<Throwable, BugCheck> translate;
    /** The class loader of the driver's code, once it is created; null before. */
    private volatile ClassLoader code;

    DriverThreadGroup(Owner owner, BiConsumer<BugCheckPhase, BugCheck> onFault, Function<Throwable, BugCheck> translate) {
        super(DRIVERS, owner.name() + " #" + owner.instance());
        this.owner = owner;
        this.onFault = onFault;
        this.translate = translate;
    }

    Owner owner() {
        return owner;
    }

    /** Records the class loader of the driver's code (a bundle's own loader in the host). */
    void driverCode(ClassLoader loader) {
        code = loader;
    }

    /**
     * Whether {@code stack} runs the driver's code: a frame of a class its loader defined (a lambda's frame
     * counts as its declaring class's). Where the driver shares its loader with the host (the in-process host,
     * the test kit: one class path), no frame can tell, and every thread of the group counts.
     */
    boolean runsDriverCode(StackTraceElement[] stack) {
        ClassLoader loader = code;
        if (loader == null || loader == DriverThreadGroup.class.getClassLoader()) {
            return true;
        }
        for (StackTraceElement e : stack) {
            String name = e.getClassName();
            int hidden = name.indexOf("$$Lambda");
            try {
                Class<?> c = Class.forName(hidden < 0 ? name : name.substring(0, hidden), false, loader);
                if (c.getClassLoader() == loader) {
                    return true;
                }
            } catch (ClassNotFoundException | LinkageError notTheDrivers) {
                // a class its loader cannot see is not the driver's
            }
        }
        return false;
    }

    /** The driver whose group {@code thread} is in (or in a group below it), or {@code null}. */
    static DriverThreadGroup of(Thread thread) {
        for (ThreadGroup g = thread.getThreadGroup(); g != null; g = g.getParent()) {
            if (g instanceof DriverThreadGroup d) {
                return d;
            }
        }
        return null;
    }

    /** The platform threads of this group (and groups below it) alive now, but {@code except}. */
    List<Thread> liveThreads(Thread except) {
        Thread[] threads = new Thread[activeCount() + 16];
        int n;
        while ((n = enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        List<Thread> live = new ArrayList<>(Arrays.asList(threads).subList(0, n));
        live.removeIf(t -> t == except || !t.isAlive());
        return live;
    }

    /** Reports a bug check of this driver's, found on one of its threads ({@link ExitGuard}), as a fault of that phase. */
    void report(BugCheckPhase phase, BugCheck bugCheck) {
        onFault.accept(phase, bugCheck);
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        onFault.accept(new BugCheckPhase.SystemThread(owner.name(), "thread " + t.getName()), translate.apply(e));
    }
}
