package dev.ringzero.bench.goals;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JMH's worker threads as Netty {@link FastThreadLocalThread}s, so Netty 4.2's default Recycler runs as
 * published (its owner batch works only on them): {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=dev.ringzero.bench.goals.FastThreadLocalExecutor}. Every benchmark of the goals
 * run uses it; for everything but Netty it is a plain thread.
 */
public final class FastThreadLocalExecutor extends ThreadPoolExecutor {

    public FastThreadLocalExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new FastThreadLocalThread(r, prefix + "-ftl-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        });
    }
}
