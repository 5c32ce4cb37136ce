package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.Set;
import java.util.function.ObjIntConsumer;

/**
 * The host's side of the exit guard: decides, for every {@code System.exit}, {@code Runtime.exit} and
 * {@code Runtime.halt} in the JVM, whether a driver called it. A driver's exit is refused with bug check
 * {@code 0xF4 CRITICAL_OBJECT_TERMINATION} charged to that driver; the host's own exits go on.
 *
 * <h2>How exits reach it</h2>
 * {@code bin/ringzero} starts the JVM with the exit-guard agent, which rewrites {@code Runtime.exit(int)}
 * and {@code Runtime.halt(int)} to call the agent's gate first (reflection and method handles end in
 * those two methods too). The host hands the gate {@link #decide} as its policy, once per JVM, when the
 * first host is watched. Without the agent (unit tests, the test kit, a JVM started by hand) there is no
 * gate: {@link #watch} says so and exits behave as in any JVM.
 *
 * <h2>Whose exit</h2>
 * The calling thread's stack is walked from the exit down: the first frame whose class was loaded by a
 * driver's code loader ({@link IoManager#driverOfCode}) names the driver — reflection and method-handle
 * frames in between do not hide it, and lambdas and threads the driver made run its own classes. A
 * driver's loader is remembered after its unload, so a thread it left running is still charged to it
 * (the bug check then unloads nothing: it is gone already). No driver frame: the thread's group decides
 * ({@link DriverThreadGroup}) — the threads the host runs a driver's constructor, DriverEntry and
 * DriverUnload on, its system threads and the platform threads it starts are in its group, so an exit
 * there before its class loader is known, or made for it by code that is not its own, is still its. Neither:
 * the host's exit, allowed. (A driver's thread group reports to its own I/O manager: a driver of a host this
 * guard does not watch, such as an in-process host in the same JVM, is charged too while any host is watched.)
 *
 * <h2>The refusal</h2>
 * The bug check is reported through the I/O manager as phase {@code <Driver>: Runtime.exit} (or
 * {@code Runtime.halt}), which makes the host unload the driver as for a fault on its system thread, and
 * then thrown, to unwind the driver's code from the exit call. When that code is {@code DriverEntry} or a
 * system thread, the same exception reaches the I/O manager again, which does not report it twice.
 */
public final class ExitGuard {

    /**
     * The agent's gate, by name: the one string seam here. The gate lives in the boot loader's unnamed
     * module (where {@code java.lang.Runtime} can call it), which this named module cannot {@code requires};
     * so the host finds it with {@code Class.forName(GATE_CLASS, false, null)} and talks to it in JDK types only.
     */
    static final String GATE_CLASS = "dev.ringzero.exitguard.ExitGate";

    /** {@code 0xF4} Parameter1: the terminated object is a process (the JVM). */
    static final int PROCESS = 3;

    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));

    private ExitGuard() {
    }

    /** Installed on first use: whether the gate asks {@link #decide} (the agent is there and armed). */
    private static final class Policy {
        static final boolean INSTALLED = install();

        private static boolean install() {
            Class<?> gate;
            try {
                gate = Class.forName(GATE_CLASS, false, null);
            } catch (ClassNotFoundException noAgent) {
                return false;
            }
            try {
                if (!(Boolean) gate.getMethod("armed").invoke(null)) {
                    return false;   // the agent loaded but could not rewrite Runtime; it printed why
                }
                ObjIntConsumer<Boolean> policy = ExitGuard::decide;
                return (Boolean) gate.getMethod("install", ObjIntConsumer.class).invoke(null, policy);
            } catch (ReflectiveOperationException | ClassCastException e) {
                // another build's agent: say so once, and run unguarded rather than not at all
                Throwable why = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                System.err.println("ringzero: exit guard off (the agent's " + GATE_CLASS + " does not fit this host: " + why
                        + "); a driver calling System.exit or Runtime.halt ends the host");
                return false;
            }
        }
    }

    /**
     * Starts deciding exits for the drivers of {@code io} (until {@link #unwatch}).
     *
     * @return whether exits are guarded in this JVM: {@code false} without the agent
     */
    public static boolean watch(IoManager io) {
        Guarded.watch(io);
        return Policy.INSTALLED;
    }

    /** Stops deciding exits for {@code io}'s drivers (its host closed). */
    public static void unwatch(IoManager io) {
        Guarded.unwatch(io);
    }

    /** Whether exits are guarded in this JVM: the agent rewrote {@code Runtime} and the policy is installed. */
    public static boolean active() {
        return Policy.INSTALLED;
    }

    /**
     * The policy: returns for the host's exit; for a driver's, reports the bug check and throws it.
     *
     * @param halt   {@code true} for {@code Runtime.halt}, {@code false} for {@code Runtime.exit}
     * @param status the exit status asked for
     */
    static void decide(Boolean halt, int status) {
        if (Guarded.none()) {
            return;
        }
        Thread thread = Thread.currentThread();
        Optional<Guarded.Caller> caller = WALKER.walk(frames -> frames
                        .map(Guarded::driverCode)
                        .flatMap(Optional::stream).findFirst())
                .or(() -> Guarded.driverThread(thread));
        if (caller.isEmpty()) {
            return;
        }
        Guarded.Caller c = caller.get();
        String routine = halt ? "Runtime.halt" : "Runtime.exit";
        String where = c.frame() != null ? "at " + c.frame() : "on its thread '" + thread.getName() + "'";
        BugCheck refusal = new BugCheck(BugCheckCode.CRITICAL_OBJECT_TERMINATION, PROCESS, Integer.toUnsignedLong(status),
                halt ? 1 : 0, 0, c.owner().name() + " called " + routine + "(" + status + ") " + where
                + ": a driver may not end the host's process; the " + (halt ? "halt" : "exit") + " was refused");
        c.reporter().accept(new BugCheckPhase.Refused(c.owner().name(), routine), refusal);
        throw refusal;
    }
}
