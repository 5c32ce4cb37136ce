package dev.ringzero.lookaside;

import com.google.common.base.Ticker;
import com.google.common.util.concurrent.AbstractScheduledService;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * NT's balance-set manager, as far as lookaside lists go: a thread woken by a 1-second periodic timer
 * that calls {@code ExAdjustLookasideDepth} ({@link LookasideSystem#adjustLookasideDepth()}).
 *
 * <p>Time comes from an injectable {@link Ticker}: on each wake-up the service runs one tick for every
 * whole second the clock says has passed since the last one (at most {@value #MAX_CATCH_UP}: after a
 * long pause NT's periodic timer fires once, not once per missed period). With the system ticker that
 * is one tick a second; a manual ticker that never advances freezes the tuner (benchmarks), and tests
 * advance it and call {@link #runOneIteration()} — or the registry's tick — themselves, never sleeping.
 *
 * <p>Nothing may escape {@link #runOneIteration()}: an exception there would stop the service for good
 * (Guava's contract), so the registry reports per-list faults itself and anything else is logged here.
 */
final class BalanceSetManager extends AbstractScheduledService {

    static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int MAX_CATCH_UP = 3;

    private static final System.Logger LOG = System.getLogger(BalanceSetManager.class.getName());

    private final LookasideSystem system;
    private final Ticker clock;
    /** Both confined to the service's thread (Guava serializes startUp and runOneIteration). */
    private long epoch;
    private long ticks;

    BalanceSetManager(LookasideSystem system, Ticker clock) {
        this.system = system;
        this.clock = clock;
    }

    @Override
    protected void startUp() {
        epoch = clock.read();
        ticks = 0;
    }

    @Override
    protected void runOneIteration() {
        try {
            long due = (clock.read() - epoch) / PERIOD_NANOS;
            if (due > ticks) {
                long n = Math.min(due - ticks, MAX_CATCH_UP);
                ticks = due;
                for (long i = 0; i < n; i++) {
                    system.adjustLookasideDepth();
                }
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "balance-set manager: lookaside scan failed; it goes on", t);
        }
    }

    @Override
    protected Scheduler scheduler() {
        return Scheduler.newFixedRateSchedule(PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
    }

    /** One daemon thread, shut down with the service, so a host that forgets {@code close()} still exits. */
    @Override
    protected ScheduledExecutorService executor() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, serviceName());
            t.setDaemon(true);
            return t;
        });
        addListener(new Listener() {
            @Override
            public void terminated(State from) {
                executor.shutdown();
            }

            @Override
            public void failed(State from, Throwable failure) {
                executor.shutdown();
            }
        }, MoreExecutors.directExecutor());
        return executor;
    }

    @Override
    protected String serviceName() {
        return "Balance Set Manager";
    }
}
