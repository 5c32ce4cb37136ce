package dev.ringzero.exitguard;

import java.util.function.ObjIntConsumer;

/**
 * The gate {@code Runtime.exit(int)} and {@code Runtime.halt(int)} pass through once the agent has
 * rewritten them: their first instruction calls {@link #check}, which asks the policy the host
 * installed whether this exit may go on.
 *
 * <h2>Where it lives, and why it speaks only JDK types</h2>
 * The agent jar is on the boot class path ({@code Boot-Class-Path}), so this class is loaded by the
 * boot loader into its unnamed module — the only place {@code java.lang.Runtime} can link to (the
 * agent makes {@code java.base} read that module). The host's named module cannot {@code requires}
 * an unnamed module, so it reaches this class by reflection and hands over its policy as a plain
 * {@link ObjIntConsumer}: nothing of the host is visible from here, and nothing here from the host.
 *
 * <h2>Rules for {@link #check}</h2>
 * <ul>
 *   <li>It runs before {@code Runtime.exit} takes any lock ({@code Shutdown.exit} synchronizes on
 *       {@code Shutdown.class} only after it), so the policy cannot deadlock with shutdown hooks. Signals
 *       ({@code SIGTERM}, {@code SIGINT}) end the JVM through {@code Shutdown.exit} directly and never
 *       come here; neither does the JVM's own end when the last non-daemon thread is done.</li>
 *   <li>With no policy installed it is one volatile read.</li>
 *   <li>It does not recurse: an exit the policy itself causes, on the thread that is running the
 *       policy, goes straight through.</li>
 *   <li>The policy refuses an exit by throwing: the exception unwinds the caller of
 *       {@code System.exit}/{@code Runtime.halt} instead of ending the JVM.</li>
 * </ul>
 */
public final class ExitGate {

    /**
     * Called with {@code (halt, status)}: {@code halt} is {@code true} for {@code Runtime.halt}. Set once;
     * volatile so that a policy installed by one thread is seen by an exit on any other.
     */
    private static volatile ObjIntConsumer<Boolean> policy;
    /** Set by the agent once {@code Runtime} is rewritten: without it a policy would never be asked. */
    private static volatile boolean armed;
    /** Bound while the policy runs on a thread, so that an exit it causes does not ask it again. */
    private static final ScopedValue<Boolean> IN_POLICY = ScopedValue.newInstance();

    private ExitGate() {
    }

    /**
     * The first call of the rewritten {@code Runtime.exit(status)} ({@code halt == false}) and
     * {@code Runtime.halt(status)} ({@code halt == true}): returns to let the exit go on, or throws what
     * the policy threw to refuse it.
     */
    public static void check(int status, boolean halt) {
        ObjIntConsumer<Boolean> p = policy;
        if (p == null || IN_POLICY.isBound()) {
            return;
        }
        ScopedValue.where(IN_POLICY, Boolean.TRUE).run(() -> p.accept(halt, status));
    }

    /**
     * Installs the policy that decides every exit from now on; only the first call installs one.
     *
     * @return {@code true} if this call installed it, {@code false} if a policy was installed already
     */
    public static synchronized boolean install(ObjIntConsumer<Boolean> exitPolicy) {
        if (exitPolicy == null) {
            throw new NullPointerException("exitPolicy");
        }
        if (policy != null) {
            return false;
        }
        policy = exitPolicy;
        return true;
    }

    /** Whether {@code Runtime.exit} and {@code Runtime.halt} call {@link #check} in this JVM. */
    public static boolean armed() {
        return armed;
    }

    /** For the agent, after it rewrote {@code Runtime}. */
    static void arm() {
        armed = true;
    }
}
