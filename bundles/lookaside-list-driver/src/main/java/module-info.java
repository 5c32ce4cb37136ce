/**
 * The KmdKit tutorial's {@code LookasideList} sample driver. A driver depends on the platform API only.
 */
module dev.ringzero.drivers.lookasidelist {
    requires dev.ringzero.api;
    requires static org.osgi.annotation.bundle;

    exports dev.ringzero.drivers.lookasidelist;
}
