/**
 * Drivers for the host's bad (and plain good) cases. They use the platform API only, as a driver
 * bundle does: {@code TestBundles} packs each into a driver bundle at test time, where it runs in its
 * own bundle class loader, not as the test's class.
 */
package dev.ringzero.distribution.drivers;
