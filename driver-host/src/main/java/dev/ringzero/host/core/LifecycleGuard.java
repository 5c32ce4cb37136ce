package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.NtStatus;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The host's side of the lifecycle gate: decides, for every call of a bundle's or the framework's lifecycle
 * entry points ({@code start}, {@code stop}, {@code update}, {@code uninstall}, {@code init}) and of the two
 * doors to the rest of the framework ({@code getBundleContext}, {@code adapt}), whether a driver made it. A
 * driver needs none of them, and can reach them without importing OSGi (its class loader is a bundle
 * reference; the framework's classes load by name); its call is refused with bug check
 * {@code 0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED}, exception code {@code STATUS_PRIVILEGED_INSTRUCTION}, charged
 * to it. Calls by the host, the shell, FileInstall and the framework itself go on.
 *
 * <h2>How calls reach it</h2>
 * The exit-guard agent rewrites Felix's {@code BundleImpl} and {@code Felix} as they load so that those methods
 * first call the agent's {@code LifecycleGate}, which calls {@link #decide}. Without the agent nothing is gated.
 *
 * <h2>Whose call</h2>
 * Only the <em>caller</em> of the gated method counts: the first frame below it that is not reflection or
 * method-handle machinery. The framework calls its own gated methods all the time (a bundle's {@code adapt}
 * while a driver's class loads, for one), also on a driver's thread; those calls are the framework's. The
 * caller is a driver's when its class was loaded by a driver's code loader ({@link IoManager#driverOfCode}) —
 * lambdas included (hidden frames are walked) — or, before that loader is known (the driver's constructor), when
 * its class is no JDK's, host's or framework's and the thread is in a driver's thread group.
 */
public final class LifecycleGuard {

    /** The agent's gate, by name, for the reason {@link ExitGuard#GATE_CLASS} gives. */
    static final String GATE_CLASS = "dev.ringzero.exitguard.LifecycleGate";

    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE,
            StackWalker.Option.SHOW_REFLECT_FRAMES, StackWalker.Option.SHOW_HIDDEN_FRAMES));
    /** Frames of these packages between the gated method and its caller are machinery, not the caller. */
    private static final List<String> MACHINERY = List.of("java.lang.reflect", "jdk.internal.reflect", "java.lang.invoke");

    private LifecycleGuard() {
    }

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
                    return false;
                }
                Consumer<String> policy = LifecycleGuard::decide;
                return (Boolean) gate.getMethod("install", Consumer.class).invoke(null, policy);
            } catch (ReflectiveOperationException | ClassCastException e) {
                Throwable why = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                System.err.println("ringzero: lifecycle guard off (the agent's " + GATE_CLASS + " does not fit this host: "
                        + why + "); a driver reaching the framework's classes can stop bundles and the framework");
                return false;
            }
        }
    }

    /**
     * Starts deciding lifecycle calls for the drivers of {@code io} (until {@link #unwatch}).
     *
     * @return whether lifecycle calls are gated in this JVM: {@code false} without the agent
     */
    public static boolean watch(IoManager io) {
        Guarded.watch(io);
        return Policy.INSTALLED;
    }

    public static void unwatch(IoManager io) {
        Guarded.unwatch(io);
    }

    /** Whether lifecycle calls are gated in this JVM. */
    public static boolean active() {
        return Policy.INSTALLED;
    }

    /** The policy: returns for a call that is not a driver's; for a driver's, reports the bug check and throws it. */
    static void decide(String routine) {
        if (Guarded.none()) {
            return;
        }
        // from the gated method down: its caller is the first frame that is not reflection or method-handle machinery
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s
                .dropWhile(f -> !isGateCheck(f))   // the policy's own frames, and the gate's scoped call of it
                .skip(1)
                .limit(32)
                .toList());
        if (frames.size() < 2) {
            return;
        }
        ClassLoader framework = frames.getFirst().getDeclaringClass().getClassLoader();
        Optional<StackWalker.StackFrame> callerFrame = frames.stream().skip(1).filter(f -> !isMachinery(f)).findFirst();
        if (callerFrame.isEmpty()) {
            return;
        }
        StackWalker.StackFrame frame = callerFrame.get();
        Optional<Guarded.Caller> caller = Guarded.driverCode(frame).or(() -> driverThread(frame, framework));
        if (caller.isEmpty()) {
            return;
        }
        Guarded.Caller c = caller.get();
        BugCheck refusal = new BugCheck(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED,
                NtStatus.STATUS_PRIVILEGED_INSTRUCTION.value() & 0xFFFF_FFFFL, 0, 0, 0,
                c.owner().name() + " called " + routine + " at " + frame.toStackTraceElement()
                        + ": a driver may not touch the framework's lifecycle (STATUS_PRIVILEGED_INSTRUCTION); refused");
        c.reporter().accept(new BugCheckPhase.Refused(c.owner().name(), routine), refusal);
        throw refusal;
    }

    private static boolean isGateCheck(StackWalker.StackFrame f) {
        return f.getClassName().equals(GATE_CLASS) && f.getMethodName().equals("check");
    }

    private static boolean isMachinery(StackWalker.StackFrame f) {
        String pkg = f.getDeclaringClass().getPackageName();
        return MACHINERY.stream().anyMatch(pkg::equals);
    }

    /** A caller of unknown code (no JDK's, host's or framework's) on a driver's thread: that driver's. */
    private static Optional<Guarded.Caller> driverThread(StackWalker.StackFrame frame, ClassLoader framework) {
        ClassLoader loader = frame.getDeclaringClass().getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || loader == LifecycleGuard.class.getClassLoader()
                || loader == framework) {
            return Optional.empty();
        }
        return Guarded.driverThread(Thread.currentThread());
    }
}
