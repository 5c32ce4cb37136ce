/**
 * Lookaside lists: {@code ExInitialize(N)PagedLookasideList}, {@code ExInitializeLookasideListEx},
 * allocate / free / delete, the per-thread {@link dev.ringzero.api.lookaside.LookasideTap tap}, and the
 * system-wide view the debugger's {@code !lookaside} reads.
 */
@Export
@Version("1.2.0")
package dev.ringzero.api.lookaside;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
