package dev.ringzero.host.core;

/**
 * Host work that an interrupt must not cut short. Any driver can reach any thread (they are all in one
 * JVM) and interrupt it; a host thread interrupted that way would fail its next framework call (Felix
 * takes its locks interruptibly) or its next wait. So the host runs such work with the thread's interrupt
 * status cleared, and sets it again afterwards: the status is kept for whoever owns the thread.
 */
public final class Interrupts {

    /** Work that may throw {@code E}. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private Interrupts() {
    }

    /** Runs {@code work} with the interrupt status cleared; sets it again afterwards if it was set, or set meanwhile. */
    public static <T, E extends Exception> T deferred(Work<T, E> work) throws E {
        boolean interrupted = Thread.interrupted();
        try {
            return work.run();
        } finally {
            if (Thread.interrupted() || interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
