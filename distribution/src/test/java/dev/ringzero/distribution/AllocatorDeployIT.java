package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Driver;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.distribution.allocators.FreedEntryWriterDriver;
import dev.ringzero.distribution.allocators.GuardedPolicy;
import dev.ringzero.distribution.allocators.StaleWriterDriver;
import dev.ringzero.distribution.allocators.RegMonTraffic;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.felix.HostListener;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Issue 21's live deployment in the real host (Felix, SCR, FileInstall, Gogo), as a user runs it: a lookaside
 * implementation jar dropped into {@code allocators/} while a driver keeps a list busy from two threads (RegMon's
 * traffic), then selected, used by a new list (a second such driver's), refused by {@code remove} while it serves
 * it, its jar deleted while in use — the list keeps working, the removal is reported naming the driver — and, once
 * its last list is deleted, gone. Nothing is lost: the pool's bytes in use are back to the baseline, and the
 * traffic's hit rate stays where it was.
 */
class AllocatorDeployIT {

    /** What the allocator's bundle imports: the API (2.x since the API split) and the provider SPI. */
    private static final String ALLOCATOR_IMPORTS = "dev.ringzero.api;version=\"[1.0,2)\","
            + "dev.ringzero.api.memory;version=\"[1.0,3)\",dev.ringzero.api.lookaside;version=\"[1.0,3)\","
            + "dev.ringzero.spi.lookaside;version=\"[1.1,2)\"";
    private static final String DRIVER_IMPORTS = "dev.ringzero.api;version=\"[1.0,2)\","
            + "dev.ringzero.api.memory;version=\"[1.0,3)\",dev.ringzero.api.lookaside;version=\"[1.0,3)\"";

    @TempDir
    Path tmp;

    private final Transcript transcript = new Transcript();
    private final Events events = new Events();
    private final List<String> folderLines = new CopyOnWriteArrayList<>();
    private FelixHost host;
    private GogoSession kd;

    @BeforeEach
    void startHost() throws Exception {
        HostListener folder = new HostListener() {
            @Override
            public void driversFolder(String line) {
                folderLines.add(line);
            }
        };
        host = FelixHost.start(Distribution.settings(tmp, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false).withWatchdog(Duration.ofSeconds(10)), HostListener.all(events, folder));
        kd = new GogoSession(host.framework().getBundleContext());
    }

    @AfterEach
    void stopHost() throws Exception {
        kd.close();
        host.close();
    }

    @Test
    void anAllocatorDeployedUnderTrafficShouldServeNewListsAndOutliveItsJarUntilItsListsAreDeleted() throws Exception {
        Executive ex = host.executive();
        long baseline = ex.pool().bytesInUse();
        Path allocators = tmp.resolve("allocators");
        assertThat(allocators).as("the host makes allocators/ beside drivers/").isDirectory();

        // traffic: TrafficA's two threads on a list of nt, the implementation selected when it loads
        assertThat(kd.execute("load " + driverJar(RegMonTraffic.A.class, "TrafficA"))).endsWith("driver loaded");
        await("TrafficA busy", () -> listOf(ex, "TrafficA").filter(l -> l.totalAllocates() > 10_000).isPresent());
        LookasideInfo trafficBefore = listOf(ex, "TrafficA").orElseThrow();

        // deployed: added, listed with its version and jar, not selected
        Path built = guardedJar(tmp.resolve("build"));
        Files.move(built, allocators.resolve("guarded.jar"), StandardCopyOption.ATOMIC_MOVE);
        await("guarded added", () -> folderLines.contains("allocators/: 'guarded' 1.0.0 (allocators/guarded.jar) added;"
                + " 'allocators select guarded' makes new lists use it"));
        assertThat(kd.execute("allocators")).containsPattern("\\* nt +1 list\\(s\\) of TrafficA +\\[built-in]")
                .containsPattern("  guarded +0 list\\(s\\) +\\[1\\.0\\.0, allocators/guarded\\.jar]");
        LookasideProvider guarded = ex.lookasideProviders().get(GuardedPolicy.NAME);
        assertThat(ex.selectedLookaside().name()).isEqualTo("nt");

        // selected while TrafficA runs: a new list (TrafficB's) uses it, TrafficA's stays with nt
        assertThat(kd.execute("allocators select guarded")).startsWith("new lookaside lists use 'guarded'");
        assertThat(kd.execute("load " + driverJar(RegMonTraffic.B.class, "TrafficB"))).endsWith("driver loaded");
        LookasideInfo listB = listOf(ex, "TrafficB").orElseThrow();
        assertThat(guarded.lists()).extracting(LookasideInfo::address).containsExactly(listB.address());
        assertThat(ex.lookasideProviders().get("nt").lists()).anyMatch(l -> l.owner().name().equals("TrafficA"));

        // remove is refused while it serves lists, naming the driver
        assertThat(kd.execute("allocators remove guarded"))
                .isEqualTo("allocators remove: lookaside implementation 'guarded' still serves 1 list(s) of TrafficB; unload them"
                        + " (or let them delete their lists) first");

        // its jar deleted while in use: FileInstall uninstalls the bundle and refreshes; OSGi has no veto
        Bundle bundle = Arrays.stream(host.framework().getBundleContext().getBundles())
                .filter(b -> b.getLocation().endsWith("allocators/guarded.jar")).findFirst().orElseThrow();
        Files.delete(allocators.resolve("guarded.jar"));
        await("the removal reported", () -> folderLines.contains("allocators/: allocators/guarded.jar was removed while"
                + " 'guarded' serves 1 list(s) of TrafficB: they keep working until deleted; new lists use 'nt'"));
        await("the bundle uninstalled and refreshed away", () -> bundle.getState() == Bundle.UNINSTALLED
                && !host.framework().adapt(FrameworkWiring.class).getRemovalPendingBundles().contains(bundle));
        assertThat(ex.selectedLookaside().name()).isEqualTo("nt");
        assertThat(kd.execute("allocators")).contains("jar removed: serves its lists until they are deleted");

        // the list it made keeps working after the refresh
        long allocatesAtRemoval = listOf(ex, "TrafficB").orElseThrow().totalAllocates();
        await("TrafficB's list busy after the removal", () -> listOf(ex, "TrafficB").orElseThrow().totalAllocates()
                > allocatesAtRemoval + 10_000);
        LookasideInfo listBLast = listOf(ex, "TrafficB").orElseThrow();
        assertThat(listBLast.allocateHitRate()).as("the deployed implementation's list: %s", listBLast).isGreaterThanOrEqualTo(99);

        // deleted by its driver (the delete path's classes were loaded before the jar went): then idle and gone
        assertThat(kd.execute("unload TrafficB")).isEqualTo("TrafficB: driver unloaded");
        assertThat(transcript.of("TrafficB")).last().asString().matches("TrafficB: [1-9]\\d* calls, 0 entries lost or corrupted");
        await("guarded unregistered once idle", () -> folderLines.contains(
                "allocators/: 'guarded' 1.0.0 (allocators/guarded.jar, removed) served its last list; unregistered"));
        assertThat(ex.lookasideProviders()).doesNotContainKey(GuardedPolicy.NAME);
        assertThat(kd.execute("allocators")).doesNotContain("guarded");

        // TrafficA's hit rate, over everything above, is what it was before
        LookasideInfo trafficAfter = listOf(ex, "TrafficA").orElseThrow();
        long allocates = trafficAfter.totalAllocates() - trafficBefore.totalAllocates();
        long misses = trafficAfter.allocateMisses() - trafficBefore.allocateMisses();
        assertThat(allocates).isPositive();
        assertThat((allocates - misses) * 100 / allocates).as("TrafficA's hit rate while the allocator came and went")
                .isGreaterThanOrEqualTo(Math.min(99, trafficBefore.allocateHitRate()));

        assertThat(kd.execute("unload TrafficA")).isEqualTo("TrafficA: driver unloaded");
        assertThat(transcript.of("TrafficA")).last().asString().matches("TrafficA: [1-9]\\d* calls, 0 entries lost or corrupted");
        assertThat(events.bugChecks).isEmpty();
        assertThat(events.faults).isEmpty();
        assertThat(ex.pool().bytesInUse()).as("pool bytes in use after the unloads").isEqualTo(baseline);
        assertThat(ex.lookasideRegistry().lists()).isEmpty();
    }

    @Test
    void aJarInAllocatorsThatImportsTheFrameworkShouldBeRefusedInOneLine() throws Exception {
        Path built = guardedJar(tmp.resolve("build"), ALLOCATOR_IMPORTS + ",org.osgi.framework;version=\"[1.10,2)\"");
        Files.move(built, tmp.resolve("allocators/framework.jar"), StandardCopyOption.ATOMIC_MOVE);

        await("the refusal", () -> folderLines.stream().anyMatch(l -> l.startsWith("allocators/: cannot add allocators/")));
        assertThat(folderLines).containsExactly("allocators/: cannot add allocators/framework.jar: refused: it imports package"
                + " org.osgi.framework (an allocator may import only the driver contract's packages, dev.ringzero.spi.* and"
                + " the JDK's)");
        assertThat(host.executive().lookasideProviders()).doesNotContainKey(GuardedPolicy.NAME);
    }

    /**
     * The guide's example at work: a driver writes to a lookaside entry after freeing it; its next allocation from
     * the guarded list finds the poison changed — bug check 0xC6 DRIVER_CAUGHT_MODIFYING_FREED_POOL, charged to the
     * list's owner, Parameter1 the byte written, Parameter2 1 (a write). NT's verifier would have turned the list's
     * caching off instead, and seen nothing.
     */
    @Test
    void theGuardedListShouldCatchAWriteToAFreedEntryAs0xC6ChargedToTheListsOwner() throws Exception {
        Files.move(guardedJar(tmp.resolve("build")), tmp.resolve("allocators/guarded.jar"), StandardCopyOption.ATOMIC_MOVE);
        await("guarded added", () -> host.executive().lookasideProviders().containsKey(GuardedPolicy.NAME));
        assertThat(kd.execute("allocators select guarded")).startsWith("new lookaside lists use 'guarded'");

        kd.execute("load " + driverJar(FreedEntryWriterDriver.class, FreedEntryWriterDriver.class, "FreedEntryWriter"));

        await("the bug check", () -> !events.bugChecks.isEmpty());
        BugCheck stop = events.bugChecks.getFirst().report().bugCheck();
        assertThat(stop.code().code()).isEqualTo(0xC6);
        assertThat(stop.code().name()).isEqualTo("DRIVER_CAUGHT_MODIFYING_FREED_POOL");
        assertThat(events.bugChecks.getFirst().report().owner().name()).isEqualTo("FreedEntryWriter");
        String written = transcript.of("FreedEntryWriter").getFirst().strip().replaceAll(".*entry ([0-9A-F]{8}) .*", "$1");
        assertThat(stop.parameter1()).isEqualTo(Long.parseLong(written, 16) + FreedEntryWriterDriver.OFFSET);
        assertThat(stop.parameter2()).as("a write").isEqualTo(1);
        assertThat(transcript.of("FreedEntryWriter")).noneMatch(l -> l.contains("nobody noticed"));
    }

    /**
     * The host's ClassPreload at work: a guarded list made before its jar was deleted runs its bug check path for the
     * first time after FileInstall's refresh, when the bundle's class loader loads nothing more — and it still
     * links: 0xC6 charged to the driver at its {@code DriverUnload}.
     */
    @Test
    void aListOfADeletedJarShouldStillRaiseItsBugCheckAfterTheRefresh() throws Exception {
        Path allocators = tmp.resolve("allocators");
        Files.move(guardedJar(tmp.resolve("build")), allocators.resolve("guarded.jar"), StandardCopyOption.ATOMIC_MOVE);
        await("guarded added", () -> host.executive().lookasideProviders().containsKey(GuardedPolicy.NAME));
        assertThat(kd.execute("allocators select guarded")).startsWith("new lookaside lists use 'guarded'");
        assertThat(kd.execute("load " + driverJar(StaleWriterDriver.class, StaleWriterDriver.class, "StaleWriter")))
                .endsWith("driver loaded");
        Bundle bundle = Arrays.stream(host.framework().getBundleContext().getBundles())
                .filter(b -> b.getLocation().endsWith("allocators/guarded.jar")).findFirst().orElseThrow();

        Files.delete(allocators.resolve("guarded.jar"));
        await("the removal reported", () -> folderLines.stream().anyMatch(l -> l.contains("was removed while 'guarded' serves 1"
                + " list(s) of StaleWriter")));
        await("the bundle uninstalled and refreshed away", () -> bundle.getState() == Bundle.UNINSTALLED
                && !host.framework().adapt(FrameworkWiring.class).getRemovalPendingBundles().contains(bundle));
        kd.execute("unload StaleWriter");

        await("the bug check", () -> !events.bugChecks.isEmpty());
        assertThat(events.bugChecks.getFirst().report().bugCheck().code().code()).as("%s", events.bugChecks).isEqualTo(0xC6);
        assertThat(events.bugChecks.getFirst().report().owner().name()).isEqualTo("StaleWriter");
        assertThat(transcript.of("StaleWriter")).noneMatch(l -> l.contains("nobody noticed"));
    }

    private static Optional<LookasideInfo> listOf(Executive ex, String driver) {
        return ex.lookasideRegistry().lists().stream().filter(l -> l.owner().name().equals(driver)).findFirst();
    }

    /** The allocator's bundle: the policy, its cache, and the Declarative Services component SCR reads. */
    private static Path guardedJar(Path dir) throws IOException {
        return guardedJar(dir, ALLOCATOR_IMPORTS);
    }

    private static Path guardedJar(Path dir, String imports) throws IOException {
        Manifest m = manifest("test.allocator.guarded");
        m.getMainAttributes().putValue("Import-Package", imports);
        m.getMainAttributes().putValue("Service-Component", "OSGI-INF/guarded.xml");
        m.getMainAttributes().putValue("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)"
                + "(version>=1.3.0)(!(version>=2.0.0)))\"");
        String component = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="test.allocator.guarded" immediate="true">
                  <implementation class="%s"/>
                  <service><provide interface="%s"/></service>
                  <property name="lookaside.implementation" value="guarded"/>
                </scr:component>
                """.formatted(GuardedPolicy.class.getName(), LookasidePolicy.class.getName());
        return write(dir.resolve("guarded.jar"), m, GuardedPolicy.class, "OSGI-INF/guarded.xml", component);
    }

    /** A driver bundle of {@link RegMonTraffic} (all its classes) whose entry is {@code driver}. */
    private Path driverJar(Class<? extends RegMonTraffic> driver, String name) throws IOException {
        return driverJar(driver, RegMonTraffic.class, name);
    }

    /** A driver bundle of {@code classes} (and its nested classes) whose entry is {@code driver}. */
    private Path driverJar(Class<? extends Driver> driver, Class<?> classes, String name) throws IOException {
        Manifest m = manifest("test.driver." + name.toLowerCase());
        m.getMainAttributes().putValue("Import-Package", DRIVER_IMPORTS);
        m.getMainAttributes().putValue("Ringzero-Driver", driver.getName());
        m.getMainAttributes().putValue("Ringzero-Driver-Name", name);
        return write(tmp.resolve("build").resolve(name + ".jar"), m, classes, null, null);
    }

    private static Manifest manifest(String symbolicName) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        return m;
    }

    /** A jar of {@code type} and its nested classes, and one more text entry when {@code entry} is given. */
    private static Path write(Path jar, Manifest manifest, Class<?> type, String entry, String text) throws IOException {
        Files.createDirectories(jar.getParent());
        Path classes;
        try {
            classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String pkg = type.getPackageName().replace('.', '/');
        List<Path> files;
        try (Stream<Path> list = Files.list(classes.resolve(pkg))) {
            files = list.filter(p -> p.getFileName().toString().equals(type.getSimpleName() + ".class")
                    || p.getFileName().toString().startsWith(type.getSimpleName() + "$")).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(pkg + "/" + f.getFileName()));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
            if (entry != null) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(text.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    /** Polls {@code condition} (no sleeping: it yields) for at most 60 s; says what the host reported when it fails. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what + "\nallocators/ lines: " + folderLines
                        + "\nhost faults: " + events.faults + "\nbug checks: " + events.bugChecks
                        + "\nlists: " + host.executive().lookasideRegistry().lists()
                        + "\nimplementations: " + host.executive().lookasideProviders().keySet());
            }
            Thread.yield();
        }
    }
}
