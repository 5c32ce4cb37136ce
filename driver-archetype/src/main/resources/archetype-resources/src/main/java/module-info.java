/**
 * The ${driverName} driver. A driver depends on the Ringzero platform API only; the host finds it
 * through its manifest ({@code Ringzero-Driver}), so the package is exported for the host to create
 * the entry class.
 */
module ${package} {
    requires dev.ringzero.api;
    requires static org.osgi.annotation.bundle;

    exports ${package};
}
