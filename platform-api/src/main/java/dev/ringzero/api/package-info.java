/**
 * The core of the driver contract: {@link dev.ringzero.api.NtStatus}, IRQL ({@link dev.ringzero.api.Irql}),
 * bug checks ({@link dev.ringzero.api.BugCheck}), {@link dev.ringzero.api.Kd#DbgPrint DbgPrint}, and the
 * {@link dev.ringzero.api.Driver} / {@link dev.ringzero.api.DriverObject} pair the host's I/O manager
 * hands to {@code DriverEntry}.
 */
@Export
@Version("1.4.0")
package dev.ringzero.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
