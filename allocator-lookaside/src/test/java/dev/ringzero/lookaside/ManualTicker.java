package dev.ringzero.lookaside;

import com.google.common.base.Ticker;
import java.time.Duration;

/** A clock that moves only when a test says so. */
final class ManualTicker extends Ticker {

    private long nanos;

    @Override
    public synchronized long read() {
        return nanos;
    }

    synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }
}
