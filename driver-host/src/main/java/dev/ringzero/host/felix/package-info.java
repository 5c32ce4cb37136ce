/**
 * The launcher's OSGi side, and only it: every class here speaks to Apache Felix. {@link
 * dev.ringzero.host.felix.FelixHost} starts the framework ({@link dev.ringzero.host.felix.FrameworkSetup}: its
 * properties, platform bundles and storage), assembles the executive, and opens the driver extender ({@link
 * dev.ringzero.host.felix.DriverExtender}); {@link dev.ringzero.host.felix.DriverLoader} installs a driver jar and
 * waits for its outcome; {@link dev.ringzero.host.felix.BugCheckPolicy} writes the crash report and halts the host
 * or unloads the faulted driver. The resolver hook ({@link dev.ringzero.host.felix.DriverWiring}), the service
 * hiding ({@link dev.ringzero.host.felix.ExecutiveHiding}) and the folder trust ({@link
 * dev.ringzero.host.felix.BundleTrust}) enforce docs/decisions/0001: drivers wire to the driver contract only and
 * see no service.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>Every driver load and unload runs on the extender's one <em>I/O manager thread</em>, as NT marshals them
 *       to the System process: a bundle start only queues the load, a bundle stop waits (bounded) for the
 *       unload. Nothing here stops a bundle from a tracker callback or from that thread: it deadlocks.</li>
 *   <li>{@code FelixHost.load}, {@code unload}, {@code unloadDriver}, {@code close}: any host thread (the CLI's,
 *       the kd shell's), never the I/O manager thread; their waits are uninterruptible.</li>
 *   <li>{@code BugCheckPolicy.onBugCheck}: the faulting thread, often a driver's; it waits for nothing and hands
 *       the halt (a framework stop) and the faulted driver's unload to the janitor thread.</li>
 * </ul>
 *
 * <h2>Never</h2>
 * No driver code runs here (the core runs it, loaded through the bundle as a {@link
 * dev.ringzero.host.core.DriverCode}); no manifest is read here twice ({@link
 * dev.ringzero.host.manifest.DriverManifest} travels from the jar's check to the load); and a class that needs no
 * OSGi type does not live here.
 */
package dev.ringzero.host.felix;
