package dev.ringzero.lookaside;

import com.google.common.base.Ticker;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.lookaside.LookasideServices;
import dev.ringzero.spi.memory.ExecutivePool;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.LongSupplier;

/**
 * How code without OSGi gets this module's lookaside machinery: found with
 * {@link java.util.ServiceLoader} as a {@link LookasideServices.Factory}, so a host on a plain module path
 * (the in-process host, the driver test kit, benchmarks) needs nothing but the API. The system it makes has the
 * built-in {@code nt} and every {@link LookasidePolicy} {@link ServiceLoader} finds ({@code magazine}'s jar beside
 * this one, a third party's).
 */
public final class LookasideServicesFactory implements LookasideServices.Factory {

    private static final System.Logger LOG = System.getLogger(LookasideServicesFactory.class.getName());

    @Override
    public LookasideServices create(ExecutivePool pool, LongSupplier nanoTime, boolean startTuner) {
        Objects.requireNonNull(nanoTime, "nanoTime");
        LookasideSystem system = new LookasideSystem(pool, new Ticker() {
            @Override
            public long read() {
                return nanoTime.getAsLong();
            }
        });
        // Every implementation on the module path (or class path) beside the built-in nt: magazine's bundle jar
        // in lib/, a third party's. One that fails to load or clashes by name is logged and left out: the host
        // runs with what it has, nt at least.
        for (ServiceLoader.Provider<LookasidePolicy> p : ServiceLoader.load(LookasidePolicy.class).stream().toList()) {
            try {
                system.register(p.get());
            } catch (RuntimeException | ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "lookaside implementation " + p.type().getName()
                        + " not registered: " + e.getMessage());
            }
        }
        if (startTuner) {
            system.start();
        }
        return new LookasideServices() {
            @Override
            public LookasideRegistry registry() {
                return system;
            }

            @Override
            public List<LookasideProvider> providers() {
                return system.providers();
            }

            @Override
            public void close() {
                system.close();
            }
        };
    }
}
