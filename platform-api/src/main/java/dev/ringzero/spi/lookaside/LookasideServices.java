package dev.ringzero.spi.lookaside;


import dev.ringzero.spi.memory.ExecutivePool;
import java.util.List;
import java.util.function.LongSupplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One host's lookaside machinery on a plain module path: the system-wide registry with its
 * balance-set manager, and the implementations bound to it. (In OSGi the same objects are
 * Declarative Services components; this is how code without a framework — the in-process host, the
 * driver test kit, benchmarks — gets them, through {@link java.util.ServiceLoader} and {@link Factory}.)
 */
@ProviderType
public interface LookasideServices extends AutoCloseable {

    /** The system-wide registry: every live list, {@code !lookaside}, the tuner. */
    LookasideRegistry registry();

    /** The implementations, the default first. */
    List<LookasideProvider> providers();

    /** Stops the balance-set manager. Lists stay registered. */
    @Override
    void close();

    /** Makes {@link LookasideServices}; found with {@link java.util.ServiceLoader}. */
    @ProviderType
    interface Factory {

        /**
         * The lookaside machinery for the host whose pool is {@code pool}.
         *
         * @param nanoTime   the balance-set manager's clock, in nanoseconds ({@code System::nanoTime} in a
         *                   host; a clock that never advances freezes tuning, as benchmarks want)
         * @param startTuner whether to start the 1-second balance-set manager; {@code false} leaves tuning
         *                   to explicit {@link LookasideRegistry#adjustLookasideDepth()} calls (tests)
         */
        LookasideServices create(ExecutivePool pool, LongSupplier nanoTime, boolean startTuner);
    }
}
