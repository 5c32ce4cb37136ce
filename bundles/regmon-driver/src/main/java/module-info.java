/**
 * A RegMon-like driver: the tutorial's {@code !lookaside} lesson, a paged lookaside list whose short-lived
 * blocks hit 99 % of the time. A driver depends on the platform API only.
 */
module dev.ringzero.drivers.regmon {
    requires dev.ringzero.api;
    requires static org.osgi.annotation.bundle;

    exports dev.ringzero.drivers.regmon;
}
