/**
 * The host's records for people, made at the edge from the core's typed reports: crash reports in {@code log/}
 * ({@link dev.ringzero.host.reports.CrashReports}, one file per bug check, and the index from a bug check to its
 * file that {@code kd:bugchecks} and {@code !analyze} read), the DbgPrint log ({@link
 * dev.ringzero.host.reports.DbgPrintLog}, one line per driver line, UTC time-stamped) and {@code ringzero run}'s
 * closing report ({@link dev.ringzero.host.reports.RunReport}).
 *
 * <h2>Rules</h2>
 * Writing is called on whatever thread the event happened on — a crash report on the faulting driver's thread,
 * which the driver may have interrupted — so writers use streams an interrupt cannot close and never throw: a
 * report that cannot be written is {@code null}, and the host goes on. Nothing here decides anything (halting,
 * unloading): that is the launcher's policy.
 */
package dev.ringzero.host.reports;
