/**
 * The kernel debugger's commands. {@link dev.ringzero.host.kd.KdCommands} is the {@link
 * dev.ringzero.host.debugger.KernelDebugger} the launcher registers for the {@code kd} shell bundle: it parses each
 * command's words, answers a call of the wrong shape with its usage line, and routes to a room of its own over the
 * executive: {@code !pool} and {@code !poolfind} ({@link dev.ringzero.host.kd.PoolDisplay}),
 * {@code db}/{@code dw}/{@code dd}/{@code dq} ({@link dev.ringzero.host.kd.MemoryDisplay}), {@code dt} ({@link
 * dev.ringzero.host.kd.TypeDisplay}), {@code !list} ({@link dev.ringzero.host.kd.ListWalk}), {@code !analyze -v}
 * ({@link dev.ringzero.host.kd.BugCheckAnalysis}) and {@code !drvobj} ({@link
 * dev.ringzero.host.kd.DriverObjectDisplay}). The formats follow the Windows debugger's; docs/debugger.md cites them
 * and says where Ringzero differs. The shell commands live here, beside the memory commands, because they are one
 * job: the debugger's; the service interface stays in {@code debugger}, the one host package bundles may import.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>The commands reach the host only through {@link dev.ringzero.host.kd.KdHost} (the core to read; load and
 *       unload to ask for), never the launcher's class: the launcher makes the commands, not the reverse.</li>
 *   <li>Called on the shell's thread (Gogo's), a host thread: a {@code load} or {@code unload} waits for the I/O
 *       manager thread, never runs driver code itself.</li>
 *   <li>Reading memory never bug-checks and never changes it: an address no live block holds reads as {@code ??}.
 *       Only {@code !lookaside ADDRESS 1|2}, {@code verifier}, {@code specialpool}, {@code allocators},
 *       {@code load} and {@code unload} change state, and each says what it did.</li>
 * </ul>
 */
package dev.ringzero.host.kd;
