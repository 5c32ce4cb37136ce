package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import java.time.Instant;

/**
 * A bug check the host caught: whose fault it was, and when and where it happened.
 *
 * @param owner    the faulting driver (or {@link Owner#SYSTEM})
 * @param phase    what the driver was doing: {@code DriverEntry}, {@code DriverUnload}, {@code unload},
 *                 a thread's name, {@code lookaside scan}
 * @param bugCheck the stop code and parameters
 * @param time     when
 */
public record BugCheckReport(Owner owner, String phase, BugCheck bugCheck, Instant time) {

    /** {@code *** STOP: BAD_POOL_CALLER (0xC2) (...) in LookasideList during DriverEntry}. */
    public String headline() {
        return "*** STOP: " + bugCheck.getMessage() + " [driver " + owner.name() + ", during " + phase + "]";
    }
}
