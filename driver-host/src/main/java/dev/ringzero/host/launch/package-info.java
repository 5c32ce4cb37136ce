/**
 * What a launcher is told and what it answers, with no framework in sight: {@link
 * dev.ringzero.host.launch.HostSettings} (the home's layout, the mode, the watchdog, the console, halt-on-bug-check),
 * {@link dev.ringzero.host.launch.HostException} (a failure of kind {@code USAGE} — the user's jar or words, exit
 * code 2 — or {@code FAULT} — the host's own, exit code 3) and {@link dev.ringzero.host.launch.StartupTimes}.
 *
 * <p>Values only: immutable, safe on any thread, and they never hold a driver's object. The CLI builds them,
 * the launcher reads them; tools that start a host in-process (the distribution's tests) use them too.
 */
package dev.ringzero.host.launch;
