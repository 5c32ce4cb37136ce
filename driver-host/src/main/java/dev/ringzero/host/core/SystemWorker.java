package dev.ringzero.host.core;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.ringzero.api.BugCheck;
import dev.ringzero.api.DebugLineBuffer;
import dev.ringzero.api.Irql;
import dev.ringzero.api.Kd;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One call into driver code on a fresh system worker thread ({@code System worker: DriverEntry <Name>}), as NT's
 * I/O manager runs {@code DriverEntry} in the System process: at PASSIVE_LEVEL, in the driver's thread group, with
 * its {@code DbgPrint} output bound, and waited for at most the watchdog's time. The I/O manager's own.
 */
final class SystemWorker {

    private SystemWorker() {
    }

    /** How a call into driver code ended; {@code worker} is the thread it ran on (still running when {@code hung}). */
    record Call<T>(T value, BugCheck fault, boolean hung, Thread worker) {
    }

    interface DriverCall<T> {
        T call();
    }

    /**
     * Runs driver code on a new system worker thread at PASSIVE_LEVEL in the driver's thread group, waiting
     * at most the watchdog's time. The wait is not cut short by an interrupt of the calling (host) thread —
     * a driver can reach any thread — and the interrupt is kept for the caller.
     */
    static <T> Call<T> call(ThreadGroup group, String what, DebugLineBuffer output, Duration watchdog,
                            Function<Throwable, BugCheck> translate, DriverCall<T> code) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().group(group).name("System worker: " + what).daemon(true).unstarted(() -> {
            Irql.resetToPassive();
            try {
                result.complete(Kd.callWithOutput(output, code::call));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        worker.start();
        try {
            T value = Uninterruptibles.getUninterruptibly(result, watchdog);
            output.flush();
            awaitEnd(worker);
            return new Call<>(value, null, false, worker);
        } catch (TimeoutException e) {
            output.flush();
            return new Call<>(null, null, true, worker);
        } catch (ExecutionException e) {
            output.flush();
            awaitEnd(worker);
            return new Call<>(null, translate.apply(e.getCause()), false, worker);
        }
    }

    /**
     * Waits for a worker that has delivered its result to end (it only returns), so that it is not taken
     * for a thread the driver left behind; bounded, in case the driver's code outlives its result.
     */
    private static void awaitEnd(Thread worker) {
        Uninterruptibles.joinUninterruptibly(worker, Duration.ofSeconds(1));
    }
}
