package dev.ringzero.host.core;

import java.util.concurrent.ThreadFactory;

/**
 * The host's own threads, in a thread group of their own. A new platform thread joins its creator's
 * group, and the host often creates a pool's first thread while serving a driver's thread (a bug check
 * reported on it, an unload it asked for): without this, that host thread would join the driver's
 * {@link DriverThreadGroup}, be taken for a thread the driver left running, and be interrupted at its
 * unload.
 */
public final class HostThreads {

    private static final ThreadGroup HOST = new ThreadGroup("Ringzero host");

    private HostThreads() {
    }

    /** Daemon threads named {@code name}, in the host's group. */
    public static ThreadFactory factory(String name) {
        return Thread.ofPlatform().group(HOST).name(name).daemon(true).factory();
    }
}
