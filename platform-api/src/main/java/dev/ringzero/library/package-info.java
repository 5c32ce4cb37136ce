/**
 * Ringzero's lookaside lists as a plain Java library: {@link dev.ringzero.library.LookasideLibrary} assembles an
 * executive pool and the lookaside machinery with {@link java.util.ServiceLoader} and hands out one owner's NT
 * routines and taps — no host, no OSGi, no driver. For Java applications; a driver gets the same routines from its
 * {@code DriverObject} and may not import this package.
 */
@Export
@Version("1.0.0")
package dev.ringzero.library;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
