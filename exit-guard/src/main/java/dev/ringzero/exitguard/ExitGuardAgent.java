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
