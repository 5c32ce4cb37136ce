/**
 * The host's kernel debugger as a service: {@link dev.ringzero.host.debugger.KernelDebugger}, registered into
 * Felix by the launcher through the system bundle, which exports this one package of the host
 * ({@link dev.ringzero.host.debugger.KernelDebugger#PACKAGE}). The {@code kd} shell bundle in
 * {@code system/shell/} puts Gogo's face on it (descriptions, parameters, {@code help kd:NAME}, completion).
 *
 * <p>Not for drivers: per the packaging decision (docs/decisions/0001) only bundles from {@code system/} may
 * wire to it; a driver importing it is refused.
 */
package dev.ringzero.host.debugger;
