package dev.ringzero.exitguard;

import java.util.function.Consumer;

/**
 * The gate the framework's lifecycle entry points pass through once the agent has rewritten Felix's bundle
 * and framework classes ({@link FelixRewrite}): {@code start}, {@code stop}, {@code update}, {@code uninstall},
 * {@code init}, {@code getBundleContext} and {@code adapt} of every bundle and of the framework first call
 * {@link #check} with the routine's name ({@code "Bundle.stop"}), which asks the policy the host installed
 * whether the caller may. The host refuses a driver (its code the caller) by throwing.
 *
 * <p>Like {@link ExitGate} it lives in the boot loader's unnamed module and speaks JDK types only; with no
 * policy installed a check is one volatile read, and a check the policy itself causes is not asked again.
 */
public final class LifecycleGate {

    private static volatile Consumer<String> policy;
    /** Set by the agent once its rewriting of Felix is installed. */
    private static volatile boolean armed;
    private static final ScopedValue<Boolean> IN_POLICY = ScopedValue.newInstance();

    private LifecycleGate() {
    }

    /** The first call of a rewritten lifecycle method: returns to let it go on, or throws what the policy threw. */
    public static void check(String routine) {
        Consumer<String> p = policy;
        if (p == null || IN_POLICY.isBound()) {
            return;
        }
        ScopedValue.where(IN_POLICY, Boolean.TRUE).run(() -> p.accept(routine));
    }

    /**
     * Installs the policy that decides every lifecycle call from now on; only the first call installs one.
     *
     * @return {@code true} if this call installed it
     */
    public static synchronized boolean install(Consumer<String> lifecyclePolicy) {
        if (lifecyclePolicy == null) {
            throw new NullPointerException("lifecyclePolicy");
        }
        if (policy != null) {
            return false;
        }
        policy = lifecyclePolicy;
        return true;
    }

    /** Whether Felix's lifecycle methods call {@link #check} in this JVM (the agent's rewriting is installed). */
    public static boolean armed() {
        return armed;
    }

    static void arm() {
        armed = true;
    }
}
