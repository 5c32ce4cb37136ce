package dev.ringzero.host.core;

/** Where a driver is in its life. */
public enum DriverState {
    /** {@code DriverEntry} is running. */
    LOADING,
    /** {@code DriverEntry} succeeded. */
    LOADED,
    /** Gone: failed, faulted or unloaded; its memory reclaimed. */
    UNLOADED,
    /**
     * Hung or could not be unloaded cleanly: it stays in the host's books, its memory is not reused,
     * and its name cannot be loaded again.
     */
    QUARANTINED
}
