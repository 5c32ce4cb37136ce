/**
 * The host's kernel debugger as a service: {@link dev.ringzero.host.debugger.KernelDebugger}, registered into
 * Felix by the launcher through the system bundle, which exports this one package of the host
 * ({@link dev.ringzero.host.debugger.KernelDebugger#PACKAGE}). The {@code kd} shell bundle in
 * {@code system/shell/} puts Gogo's face on it (descriptions, parameters, {@code help kd:NAME}, completion).
 *
 * <h2>Rules</h2>
 * Every method answers a {@code String} (or writes to the console it is given) and throws nothing for bad words: a
 * call of the wrong shape answers its usage. It is called on the shell's thread, a platform bundle's, never a
 * driver's. The interface holds no host type, so the shell bundle wires to this package and the API only.
 *
 * <p>Not for drivers: per the packaging decision (docs/decisions/0001) only bundles from {@code system/} may
 * wire to it; a driver importing it is refused.
 */
package dev.ringzero.host.debugger;
