package dev.ringzero.exitguard;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * The exit guard's Java agent ({@code -javaagent:lib/agent/ringzero-exit-guard.jar}, added by
 * {@code bin/ringzero}): before {@code main} runs it rewrites {@code java.lang.Runtime} so that
 * {@code exit(int)} and {@code halt(int)} first call {@link ExitGate#check} ({@link RuntimeRewrite}).
 * The host then installs the policy that tells a driver's exit from its own.
 *
 * <p>The manifest says {@code Boot-Class-Path: ringzero-exit-guard.jar} (this jar itself), so this
 * class and the gate are loaded by the boot loader, which is where {@code Runtime} can see the gate;
 * and {@code java.base} is made to read the boot loader's unnamed module so the inserted call links.
 *
 * <p>If anything fails, the agent prints one line saying the guard is off and why, and the JVM runs on
 * without it (the JVM would otherwise refuse to start over a failing agent).
 */
public final class ExitGuardAgent {

    private ExitGuardAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        try {
            install(inst);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("ringzero: exit guard off (" + (e.getMessage() != null ? e.getMessage() : e.toString())
                    + "); a driver calling System.exit"
                    + " or Runtime.halt ends the host");
        }
        try {
            installLifecycleGate(inst);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("ringzero: lifecycle guard off (" + (e.getMessage() != null ? e.getMessage() : e.toString())
                    + "); a driver reaching the framework's classes can stop bundles and the framework");
        }
    }

    /**
     * Rewrites Felix's bundle and framework classes when they load ({@link FelixRewrite}), so that their lifecycle
     * entry points ask {@link LifecycleGate} first. Felix on the module path is a named module: it is made to read
     * the boot loader's unnamed module, where the gate is. (On the class path it reads it already.)
     */
    static void installLifecycleGate(Instrumentation inst) {
        ModuleLayer.boot().findModule("org.apache.felix.framework").ifPresent(felix -> inst.redefineModule(felix,
                Set.of(LifecycleGate.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of()));
        // initialized here, not inside the transformer: what a transformer throws the JVM swallows
        FelixRewrite.initialize();
        inst.addTransformer(new FelixRewriter(), false);
        LifecycleGate.arm();
    }

    /** Rewrites Felix's {@code BundleImpl} and {@code Felix} as they load; one line on standard error if it cannot. */
    private static final class FelixRewriter implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            try {
                if (className == null || classBeingRedefined != null || !FelixRewrite.rewrites(className)) {
                    return null;
                }
                return FelixRewrite.rewrite(classfileBuffer);
            } catch (RuntimeException | LinkageError e) {
                System.err.println("ringzero: lifecycle guard off for " + className + " (" + e + ")");
                return null;
            }
        }
    }

    static void install(Instrumentation inst) {
        if (ExitGate.class.getClassLoader() != null) {
            throw new IllegalStateException("the gate was not loaded by the boot loader: the agent jar's Boot-Class-Path"
                    + " must name the agent jar itself, ringzero-exit-guard.jar, in its own folder");
        }
        if (!inst.isRetransformClassesSupported() || !inst.isModifiableClass(Runtime.class)) {
            throw new IllegalStateException("this JVM cannot retransform java.lang.Runtime");
        }
        inst.redefineModule(Object.class.getModule(), Set.of(ExitGate.class.getModule()), Map.of(), Map.of(), Set.of(),
                Map.of());
        Rewriter rewriter = new Rewriter();
        inst.addTransformer(rewriter, true);
        try {
            inst.retransformClasses(Runtime.class);
        } catch (Exception | LinkageError e) {
            throw new IllegalStateException("cannot retransform java.lang.Runtime: " + e, e);
        } finally {
            inst.removeTransformer(rewriter);
        }
        // the JVM swallows what a transformer throws: the rewriter keeps it
        if (rewriter.failure != null) {
            throw new IllegalStateException("cannot rewrite java.lang.Runtime: " + rewriter.failure, rewriter.failure);
        }
        if (!rewriter.rewritten) {
            throw new IllegalStateException("java.lang.Runtime was not offered for rewriting");
        }
        ExitGate.arm();
    }

    /** Rewrites {@code java.lang.Runtime} when the retransformation offers it; leaves every other class alone. */
    private static final class Rewriter implements ClassFileTransformer {
        volatile boolean rewritten;
        volatile Throwable failure;

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            if (classBeingRedefined != Runtime.class) {
                return null;
            }
            try {
                byte[] rewrittenClass = RuntimeRewrite.rewrite(classfileBuffer);
                rewritten = true;
                return rewrittenClass;
            } catch (RuntimeException | LinkageError e) {
                failure = e;
                return null;
            }
        }
    }
}
