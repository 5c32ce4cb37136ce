/**
 * The tutorial's warning as a driver: a paged lookaside list whose header is freed without
 * {@code ExDeletePagedLookasideList}. A driver depends on the platform API only.
 */
module dev.ringzero.drivers.forgetful {
    requires dev.ringzero.api;
    requires static org.osgi.annotation.bundle;

    exports dev.ringzero.drivers.forgetful;
}
