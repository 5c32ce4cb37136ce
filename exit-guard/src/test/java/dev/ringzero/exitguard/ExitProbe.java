package dev.ringzero.exitguard;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link RuntimeGuardIT} runs in a JVM started with the agent. Its first argument picks what
 * it does; it prints one line per step, so the test reads what happened from the output and the exit code.
 */
public final class ExitProbe {

    /** What the policy threw to refuse. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static volatile int allowed = Integer.MIN_VALUE;

    public static void main(String[] args) throws Throwable {
        System.out.println("armed " + ExitGate.armed() + ", gate loaded by " + ExitGate.class.getClassLoader());
        switch (args[0]) {
            case "refuse" -> refuse();
            case "no-policy" -> noPolicy();
            case "signal" -> signal();
            case "reentrant" -> reentrant();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Every way to call exit and halt is refused; then the one status the policy allows ends the JVM. */
    private static void refuse() throws Throwable {
        ExitGate.install((halt, status) -> {
            System.out.println("policy: " + (halt ? "halt" : "exit") + " " + status);
            if (status != allowed) {
                throw new Refused((halt ? "halt " : "exit ") + status);
            }
        });
        Runtime runtime = Runtime.getRuntime();
        attempt("System.exit", () -> System.exit(11));
        attempt("Runtime.exit", () -> runtime.exit(12));
        attempt("Runtime.halt", () -> runtime.halt(13));
        Method exit = Runtime.class.getMethod("exit", int.class);
        Method halt = Runtime.class.getMethod("halt", int.class);
        attempt("Method.invoke exit", () -> exit.invoke(runtime, 14));
        attempt("Method.invoke halt", () -> halt.invoke(runtime, 15));
        MethodHandle exitHandle = MethodHandles.publicLookup().findStatic(System.class, "exit",
                MethodType.methodType(void.class, int.class));
        MethodHandle haltHandle = MethodHandles.publicLookup().findVirtual(Runtime.class, "halt",
                MethodType.methodType(void.class, int.class)).bindTo(runtime);
        attempt("MethodHandle exit", () -> {
            exitHandle.invokeExact(16);
        });
        attempt("MethodHandle halt", () -> {
            haltHandle.invokeExact(17);
        });
        Thread t = new Thread(() -> attempt("thread System.exit", () -> System.exit(18)));
        t.start();
        t.join();
        System.out.println("still running");
        allowed = 42;
        System.exit(42);
    }

    /** Without a policy the rewritten exit ends the JVM as before: status and shutdown hooks. */
    private static void noPolicy() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        System.exit(5);
    }

    /** A policy refusing everything does not stand in the way of SIGTERM: the hooks run, the JVM ends. */
    private static void signal() throws InterruptedException {
        ExitGate.install((halt, status) -> {
            throw new Refused("everything");
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        System.out.println("waiting for a signal");
        TimeUnit.MINUTES.sleep(2);
    }

    /** An exit the policy itself makes goes straight through (the gate does not ask the policy again). */
    private static void reentrant() {
        ExitGate.install((halt, status) -> {
            System.out.println("policy: exit " + status);
            if (status == 99) {
                System.exit(98);
            }
        });
        System.exit(99);
    }

    private interface Attempt {
        void run() throws Throwable;
    }

    private static void attempt(String how, Attempt a) {
        try {
            a.run();
            System.out.println(how + ": returned");
        } catch (Refused r) {
            System.out.println(how + ": refused " + r.getMessage());
        } catch (InvocationTargetException e) {
            System.out.println(how + ": refused " + e.getCause().getMessage() + " (through reflection)");
        } catch (Throwable other) {
            System.out.println(how + ": " + other);
        }
    }
}
