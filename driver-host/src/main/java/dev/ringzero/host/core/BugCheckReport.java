package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import java.time.Instant;

/**
 * A bug check the host caught: whose fault it was, and when and where it happened.
 *
 * @param owner    the faulting driver (or {@link Owner#SYSTEM})
 * @param where    what the driver was doing (its {@link #phase() text}: {@code DriverEntry}, {@code DriverUnload},
 *                 {@code unload}, a thread's name, {@code lookaside scan})
 * @param bugCheck the stop code and parameters
 * @param time     when
 */
public record BugCheckReport(Owner owner, BugCheckPhase where, BugCheck bugCheck, Instant time) {

    /** What the driver was doing, as text: {@code DriverEntry}, {@code LookasideList: Worker}, {@code unload}. */
    public String phase() {
        return where.toString();
    }

    /** {@code *** STOP: BAD_POOL_CALLER (0xC2) (...) in LookasideList during DriverEntry}. */
    public String headline() {
        return "*** STOP: " + bugCheck.getMessage() + " [driver " + owner.name() + ", during " + where + "]";
    }
}
