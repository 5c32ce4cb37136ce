/**
 * The ${driverName} driver. A driver depends on the Ringzero platform API only; the host finds it
 * through its manifest (written from {@code @RingzeroDriver}), so the package is exported for the host to
 * create the entry class. The OSGi bundle annotations are read at compile time only: bnd writes the manifest
 * from {@code @RingzeroDriver}'s meta-annotations.
 */
module ${package} {
    requires dev.ringzero.api;
    requires static org.osgi.annotation.bundle;

    exports ${package};
}
