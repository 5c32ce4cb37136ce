package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * What the two guards of the exit-guard agent share ({@link ExitGuard}: {@code Runtime.exit}/{@code halt};
 * {@link LifecycleGuard}: the framework's lifecycle): the I/O managers whose drivers they judge, and the two ways
 * a call is found to be a driver's — a frame of a driver's code (its loader names the driver) or a thread of a
 * driver's group. Each guard keeps its own gate, policy and bug check. The agent calls the policies on the calling
 * thread, whichever it is; nothing here locks.
 */
final class Guarded {

    /** The I/O managers of the hosts open in this JVM ({@link #watch} to {@link #unwatch}). */
    private static final CopyOnWriteArrayList<IoManager> WATCHED = new CopyOnWriteArrayList<>();

    private Guarded() {
    }

    /**
     * Both guards judge {@code io}'s drivers from now on, until {@link #unwatch}: one list for both, since a host
     * arms and disarms them together ({@link ExitGuard#watch}, {@link LifecycleGuard#watch}).
     */
    static void watch(IoManager io) {
        WATCHED.addIfAbsent(io);
    }

    static void unwatch(IoManager io) {
        WATCHED.remove(io);
    }

    /** Whether no host is open: the policies let everything through. */
    static boolean none() {
        return WATCHED.isEmpty();
    }

    /**
     * A driver that made a refused call, and how to report its bug check (to its host's I/O manager).
     *
     * @param frame the first frame of the driver's code, or {@code null} when only its thread's group said
     */
    record Caller(Owner owner, StackTraceElement frame, BiConsumer<BugCheckPhase, BugCheck> reporter) {
    }

    /** The driver whose code {@code frame}'s class is (its loader names it); empty for anyone else's. */
    static Optional<Caller> driverCode(StackWalker.StackFrame frame) {
        ClassLoader loader = frame.getDeclaringClass().getClassLoader();
        if (loader == null) {
            return Optional.empty();
        }
        for (IoManager io : WATCHED) {
            Optional<Owner> owner = io.driverOfCode(loader);
            if (owner.isPresent()) {
                Owner o = owner.get();
                return Optional.of(new Caller(o, frame.toStackTraceElement(), (phase, b) -> io.report(o, phase, b)));
            }
        }
        return Optional.empty();
    }

    /**
     * The driver in whose thread group {@code thread} runs (a thread the host started for it, or one it started),
     * from the start of its load — its constructor runs there before its class loader is known — until its
     * threads end, also after its unload.
     */
    static Optional<Caller> driverThread(Thread thread) {
        DriverThreadGroup g = DriverThreadGroup.of(thread);
        return g == null ? Optional.empty() : Optional.of(new Caller(g.owner(), null, g::report));
    }
}
