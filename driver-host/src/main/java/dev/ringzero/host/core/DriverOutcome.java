package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.NtStatus;
import java.util.List;

/**
 * What loading a driver came to.
 *
 * @param name        the driver's service name
 * @param state       {@link DriverState#LOADED}, {@link DriverState#UNLOADED} or {@link DriverState#QUARANTINED}
 * @param status      what {@code DriverEntry} returned, or the status the I/O manager answered with
 *                    ({@code STATUS_IMAGE_ALREADY_LOADED}); {@code null} after a bug check or a hang
 * @param bugCheck    the bug check that ended it, or {@code null}
 * @param message     the host's one-line account, e.g. {@code LookasideList: DriverEntry returned
 *                    STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded}
 * @param lookasideDumps the {@code !lookaside} of each list the driver deleted, taken just before the delete; a
 *                       live view, so lists deleted later (in {@code DriverUnload}) appear in it too
 */
public record DriverOutcome(String name, DriverState state, NtStatus status, BugCheck bugCheck, String message,
                            List<String> lookasideDumps) {

    /** Whether the driver is loaded now. */
    public boolean loaded() {
        return state == DriverState.LOADED;
    }
}
