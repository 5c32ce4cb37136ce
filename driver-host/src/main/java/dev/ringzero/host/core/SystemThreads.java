package dev.ringzero.host.core;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.ringzero.api.BugCheck;
import dev.ringzero.api.DebugOutput;
import dev.ringzero.api.Irql;
import dev.ringzero.api.Kd;
import dev.ringzero.api.SystemThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The system threads of one driver: each runs at PASSIVE_LEVEL with the driver's {@code DbgPrint}
 * output, in the driver's {@link DriverThreadGroup}, and a fault in it is reported as the driver's bug
 * check instead of killing anything else.
 */
final class SystemThreads {

    private final String driver;
    private final DebugOutput output;
    private final BiConsumer<BugCheckPhase, BugCheck> onFault;
    private final Function<Throwable, BugCheck> translate;
    private final ThreadGroup group;
    private final List<Handle> started = new CopyOnWriteArrayList<>();

    SystemThreads(String driver, DebugOutput output, BiConsumer<BugCheckPhase, BugCheck> onFault) {
        this(driver, output, onFault, BugCheck::fromDriverFault, Thread.currentThread().getThreadGroup());
    }

    SystemThreads(String driver, DebugOutput output, BiConsumer<BugCheckPhase, BugCheck> onFault,
                  Function<Throwable, BugCheck> translate, ThreadGroup group) {
        this.driver = driver;
        this.output = output;
        this.onFault = onFault;
        this.translate = translate;
        this.group = group;
    }

    SystemThread start(String name, Runnable routine) {
        String threadName = driver + ": " + name;
        Thread t = Thread.ofPlatform().group(group).name(threadName).daemon(true).unstarted(() -> {
            Irql.resetToPassive();
            try {
                Kd.callWithOutput(output, () -> {
                    routine.run();
                    return null;
                });
            } catch (Throwable fault) {
                onFault.accept(new BugCheckPhase.SystemThread(driver, name), translate.apply(fault));
            }
        });
        Handle h = new Handle(threadName, t);
        started.add(h);
        t.start();
        return h;
    }

    /**
     * Joins every thread, waiting at most {@code timeout} in all; returns those still running. An
     * interrupt of the caller does not cut the wait short (a driver may interrupt any thread); it is kept
     * for the caller.
     */
    List<SystemThread> joinAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Handle h : started) {
            Uninterruptibles.joinUninterruptibly(h.thread, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        return started.stream().filter(Handle::isAlive).map(SystemThread.class::cast).toList();
    }

    private record Handle(String name, Thread thread) implements SystemThread {
        @Override
        public boolean isAlive() {
            return thread.isAlive();
        }

        @Override
        public boolean join(Duration timeout) throws InterruptedException {
            return thread.join(timeout.isZero() ? Duration.ofNanos(1) : timeout);
        }
    }
}
