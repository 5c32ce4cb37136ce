package dev.ringzero.lookaside;

import com.google.common.base.Ticker;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.lookaside.LookasideServices;
import dev.ringzero.spi.memory.ExecutivePool;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How code without OSGi gets this module's lookaside machinery: found with
 * {@link java.util.ServiceLoader} as a {@link LookasideServices.Factory}, so a host on a plain module path
 * (the in-process host, the driver test kit, benchmarks) needs nothing but the API.
 */
public final class LookasideServicesFactory implements LookasideServices.Factory {

    @Override
    public LookasideServices create(ExecutivePool pool, LongSupplier nanoTime, boolean startTuner) {
        Objects.requireNonNull(nanoTime, "nanoTime");
        LookasideSystem system = new LookasideSystem(pool, new Ticker() {
            @Override
            public long read() {
                return nanoTime.getAsLong();
            }
        });
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
