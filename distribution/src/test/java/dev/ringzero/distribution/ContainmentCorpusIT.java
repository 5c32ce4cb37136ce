package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Driver;
import dev.ringzero.distribution.containment.FrameworkByNameDriver;
import dev.ringzero.distribution.containment.FrameworkImportDriver;
import dev.ringzero.distribution.containment.FrameworkStoppingActivator;
import dev.ringzero.distribution.containment.LinkerDriver;
import dev.ringzero.distribution.containment.NullWriteDriver;
import dev.ringzero.distribution.containment.ReflectionDriver;
import dev.ringzero.distribution.containment.ReinterpretDriver;
import dev.ringzero.distribution.drivers.GoodDriver;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.felix.HostListener;
import dev.ringzero.host.launch.HostSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The hostile drivers of {@code dev.ringzero.distribution.containment} (issue 16, docs/decisions/0001): through
 * {@code bin/ringzero run} ahead of RegMon — the launcher's module path, native access for the pool alone — each
 * restricted call, reflective reach and framework call is the driver's own bug check 0x7E with exception code
 * {@code STATUS_PRIVILEGED_INSTRUCTION} (0xC0000096) and a crash report, or the driver is refused at load with one
 * line; RegMon then runs to its end without an allocation failure, the pool is back to its baseline, no JVM crash
 * file. And hot-deployed into the long-running host, where the resolver hook holds what the load's check holds.
 */
class ContainmentCorpusIT {

    private static final String PRIVILEGED = "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (0x7E) (0xC0000096,";

    @TempDir
    Path tmp;

    @Test
    void reachingPastTheHandedObjectsShouldBeEachDriversOwnBugCheckAndRegMonShouldRunOn() throws Exception {
        List<Class<? extends Driver>> corpus = List.of(ReinterpretDriver.class, NullWriteDriver.class, LinkerDriver.class,
                ReflectionDriver.class, FrameworkByNameDriver.class);
        List<String> args = new ArrayList<>(List.of("run", "--watchdog", "60"));
        for (Class<? extends Driver> d : corpus) {
            args.add(TestBundles.driverBundle(tmp.resolve("jars"), d).toString());
        }
        args.add(SampleRun.sample("regmon-driver").toString());
        SampleRun r = SampleRun.ringzero(tmp, "-Dringzero.regmon.seconds=3", args.toArray(String[]::new));
        String out = r.toString();

        assertThat(r.exitCode()).as(out).isEqualTo(3);
        assertThat(r.stdout()).as(out).noneMatch(l -> l.contains("REACHED"));
        List<String> stops = r.stdout().stream().filter(l -> l.startsWith("*** STOP: ")).toList();
        for (Class<? extends Driver> d : corpus) {
            String name = d.getSimpleName();
            // each bug check is in the report twice: under the driver's load, and among the bug checks
            assertThat(stops).as(out).filteredOn(l -> l.contains("[driver " + name + ",")).isNotEmpty().allMatch(l -> l.contains(PRIVILEGED));
            assertThat(r.stdout()).as(out).anyMatch(l -> l.trim().startsWith("crash report: ") && l.contains(name + "-0x7E"));
        }
        assertThat(stops).as(out).allMatch(l -> corpus.stream().anyMatch(d -> l.contains("[driver " + d.getSimpleName() + ",")));
        assertThat(stops).as(out).filteredOn(l -> l.contains("[driver FrameworkByNameDriver,")).isNotEmpty()
                .allMatch(l -> l.contains("FrameworkByNameDriver called Bundle.getBundleContext at " + FrameworkByNameDriver.class.getName()));

        // every service object a driver is handed: each of its hidden members refused
        List<String> reflection = r.stdout().stream().filter(l -> l.startsWith("ReflectionDriver: ") && l.contains(" member(s) refused")).toList();
        assertThat(reflection).as(out).hasSize(6).allMatch(l -> l.endsWith(", reached []") && !l.contains(": 0 member(s)"));

        assertThat(r.stdout()).as(out).contains("RegMon: Leaving DriverEntry",
                "RegMon: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded");
        assertThat(r.stdout()).as(out).filteredOn(l -> l.startsWith("RegMon: Thread #"))
                .hasSize(2).allMatch(l -> l.endsWith("(0 allocation failures)"));
        assertPoolBackToBaseline(r.stdout(), out);
        assertNoJvmCrashFile();
    }

    @Test
    void aDriverImportingTheFrameworkShouldBeRefusedAtLoadWithOneLineAndRegMonShouldRunOn() throws Exception {
        Path bad = TestBundles.driverBundle(tmp.resolve("jars"), FrameworkImportDriver.class, "org.osgi.framework;version=\"[1.10,2)\"");
        SampleRun r = SampleRun.ringzero(tmp, "-Dringzero.regmon.seconds=1", "run", bad.toString(),
                SampleRun.sample("regmon-driver").toString());
        String out = r.toString();

        assertThat(r.exitCode()).as(out).isEqualTo(2);
        assertThat(r.stderr()).as(out).containsExactly("ringzero: cannot load " + bad + ": refused: it imports package"
                + " org.osgi.framework (a driver may import only dev.ringzero.api, dev.ringzero.api.lookaside,"
                + " dev.ringzero.api.memory and the JDK's packages)");
        assertThat(r.stdout()).as(out).noneMatch(l -> l.contains("FrameworkImportDriver"))
                .contains("RegMon: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded");
        assertPoolBackToBaseline(r.stdout(), out);
        assertNoJvmCrashFile();
    }

    @Test
    void hotDeployedThePackageRefusalAndTheLifecycleGateShouldHoldAndTheHostServeOn() throws Exception {
        Transcript transcript = new Transcript();
        Events events = new Events();
        BlockingQueue<String> folderLines = new LinkedBlockingQueue<>();
        HostListener lines = new HostListener() {
            @Override
            public void driversFolder(String line) {
                folderLines.add(line);
            }
        };
        HostSettings settings = Distribution.settings(tmp, transcript).withMode(HostSettings.Mode.HOST)
                .withInteractive(false).withFrameworkProperty("felix.fileinstall.poll", "100");
        try (FelixHost host = FelixHost.start(settings, HostListener.all(events, lines))) {
            // not a driver, no import: its activator's interface would come through DynamicImport-Package: * only
            Path activator = TestBundles.dynamicActivatorBundle(tmp.resolve("build"), FrameworkStoppingActivator.class);
            Files.copy(activator, settings.driversDir().resolve("activator.jar"));
            // the folder's own look says first that it is no driver; FileInstall installs and starts it all the same
            String line = Events.next(folderLines, "a line about activator.jar");
            while (!line.contains("refused")) {
                line = Events.next(folderLines, "the refusal of activator.jar");
            }
            assertThat(line).isEqualTo("drivers/: cannot load "
                    + settings.driversDir().resolve("activator.jar") + ": refused: it has DynamicImport-Package '*', which may"
                    + " wire to any package (a driver may import only dev.ringzero.api, dev.ringzero.api.lookaside,"
                    + " dev.ringzero.api.memory and the JDK's packages); not loaded");
            assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);

            // the framework by name: getBundleContext refused, charged to the driver, which is unloaded
            Files.copy(TestBundles.driverBundle(tmp.resolve("build"), FrameworkByNameDriver.class),
                    settings.driversDir().resolve("byname.jar"));
            assertThat(Events.next(events.loaded, "load of FrameworkByNameDriver").outcome().name()).isEqualTo("FrameworkByNameDriver");
            assertThat(events.bugChecks).as("%s\n%s", events.allLoaded, transcript.of("FrameworkByNameDriver")).singleElement().satisfies(b -> {
                assertThat(b.report().owner().name()).isEqualTo("FrameworkByNameDriver");
                assertThat(b.report().bugCheck().code().code()).isEqualTo(0x7E);
                assertThat(b.report().bugCheck().parameter1()).isEqualTo(0xC0000096L);
            });

            Files.copy(TestBundles.driverBundle(tmp.resolve("build"), GoodDriver.class), settings.driversDir().resolve("good.jar"));
            assertThat(Events.next(events.loaded, "load of GoodDriver").outcome().state()).as("the host serves on")
                    .isEqualTo(DriverState.LOADED);
            assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);
        }
    }

    /** Every row of the run report's pool activity table: as many frees as allocations, no bytes left. */
    private static void assertPoolBackToBaseline(List<String> stdout, String out) {
        int header = stdout.indexOf(" Tag  Type      Allocs      Frees  Reclaimed       Diff      Bytes  Per Alloc");
        assertThat(header).as(out).isNotNegative();
        List<String> rows = new ArrayList<>();
        for (int i = header + 1; i < stdout.size() && !stdout.get(i).isBlank(); i++) {
            rows.add(stdout.get(i));
        }
        assertThat(rows).as(out).isNotEmpty().allSatisfy(row -> {
            String[] cols = row.trim().split("\\s+");
            assertThat(cols[cols.length - 3]).as("Diff of %s", row).isEqualTo("0");
            assertThat(cols[cols.length - 2]).as("Bytes of %s", row).isEqualTo("0");
        });
    }

    private void assertNoJvmCrashFile() throws Exception {
        try (Stream<Path> files = Stream.concat(Files.list(tmp), Files.list(Distribution.home()))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("JVM crash files").noneMatch(f -> f.startsWith("hs_err"));
        }
    }
}
