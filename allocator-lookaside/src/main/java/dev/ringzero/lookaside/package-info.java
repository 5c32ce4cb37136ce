/**
 * Lookaside lists: {@link dev.ringzero.lookaside.LookasideSystem} (the registry of live lists, the
 * balance-set manager, {@code !lookaside}), the {@code nt} implementation
 * ({@link dev.ringzero.lookaside.NtLookasideProvider}) and the {@code magazine} one
 * ({@link dev.ringzero.lookaside.MagazineLookasideProvider}), and the ServiceLoader entry point for code without
 * OSGi ({@link dev.ringzero.lookaside.LookasideServicesFactory}). Everything else here is package-private engine.
 *
 * <p>Not an OSGi export: the public classes are Declarative Services components, reached through the
 * API's {@code LookasideRegistry} and {@code LookasideProvider} services.
 */
package dev.ringzero.lookaside;
