package dev.ringzero.host.core;

import dev.ringzero.spi.lookaside.LookasideServices;
import dev.ringzero.spi.memory.ExecutivePool;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.LongSupplier;

/**
 * The executive put together from the named modules on the module path (or the jars on the class path):
 * the pool ({@code dev.ringzero.pool}) and the lookaside machinery bound to it ({@code dev.ringzero.lookaside}:
 * the registry, the balance-set manager and the built-in implementations), found with {@link ServiceLoader}.
 * The one assembly of the launcher ({@code FelixHost}), the {@link InProcessHost} and the driver test kit: none
 * of them gets the executive from an OSGi registry, so no bundle can stop, replace or reach into it.
 *
 * <p>Closing it stops the tuner and releases the pool's memory (its page file deleted).
 */
public final class ExecutiveAssembly implements AutoCloseable {

    private final ExecutivePool pool;
    private final LookasideServices lookaside;
    private final Executive executive;

    private ExecutiveAssembly(ExecutivePool pool, LookasideServices lookaside) {
        this.pool = pool;
        this.lookaside = lookaside;
        this.executive = new Executive(pool, lookaside.registry(), lookaside.providers());
    }

    /**
     * Assembles an executive.
     *
     * @param dataFolder where the pool keeps its page file; {@code null}: the pool's default (the temporary folder)
     * @param nanoTime   the balance-set manager's clock
     * @param startTuner whether the balance-set manager runs by itself, once a second
     * @throws IllegalStateException naming the module that is missing from the module path
     */
    public static ExecutiveAssembly assemble(Path dataFolder, LongSupplier nanoTime, boolean startTuner) {
        ExecutivePool pool = dataFolder == null
                ? ServiceLoader.load(ExecutivePool.class).findFirst().orElseThrow(() -> noPool(ExecutivePool.class))
                : ServiceLoader.load(ExecutivePool.Factory.class).findFirst()
                        .orElseThrow(() -> noPool(ExecutivePool.Factory.class)).create(dataFolder);
        LookasideServices lookaside;
        try {
            LookasideServices.Factory factory = ServiceLoader.load(LookasideServices.Factory.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no LookasideServices.Factory found by ServiceLoader:"
                            + " put allocator-lookaside (dev.ringzero.lookaside) on the module path"));
            lookaside = factory.create(pool, nanoTime, startTuner);
        } catch (RuntimeException e) {
            closePool(pool);
            throw e;
        }
        return new ExecutiveAssembly(pool, lookaside);
    }

    private static IllegalStateException noPool(Class<?> service) {
        return new IllegalStateException("no " + service.getCanonicalName() + " implementation found by ServiceLoader:"
                + " put allocator-pool (dev.ringzero.pool) on the module path");
    }

    public Executive executive() {
        return executive;
    }

    public ExecutivePool pool() {
        return pool;
    }

    public LookasideServices lookaside() {
        return lookaside;
    }

    /** Stops the balance-set manager and releases the pool's memory. */
    @Override
    public void close() {
        try {
            lookaside.close();
        } finally {
            closePool(pool);
        }
    }

    private static void closePool(ExecutivePool pool) {
        if (pool instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the pool failed: " + e.getMessage(), e);
            }
        }
    }
}
