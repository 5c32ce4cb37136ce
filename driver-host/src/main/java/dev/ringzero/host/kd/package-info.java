/**
 * The kernel debugger's memory commands, each a room of its own over the executive: {@code !pool} and
 * {@code !poolfind} ({@link dev.ringzero.host.kd.PoolDisplay}), {@code db}/{@code dw}/{@code dd}/{@code dq}
 * ({@link dev.ringzero.host.kd.MemoryDisplay}), {@code dt} ({@link dev.ringzero.host.kd.TypeDisplay}),
 * {@code !list} ({@link dev.ringzero.host.kd.ListWalk}), {@code !analyze -v}
 * ({@link dev.ringzero.host.kd.BugCheckAnalysis}) and {@code !drvobj}
 * ({@link dev.ringzero.host.kd.DriverObjectDisplay}). The formats follow the Windows debugger's; docs/debugger.md
 * cites them and says where Ringzero differs. Nothing here changes memory, and nothing here bug-checks: an
 * address no live block holds reads as {@code ??}.
 */
package dev.ringzero.host.kd;
