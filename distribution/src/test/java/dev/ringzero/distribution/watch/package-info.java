/**
 * Test drivers for the tools that watch a host (issue 24): JFR events, the MXBeans, PoolMon. Each is packed alone
 * into a driver bundle by {@code TestBundles.driverBundle}.
 */
package dev.ringzero.distribution.watch;
