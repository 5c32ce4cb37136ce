package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.distribution.badjars.NamesakeDriver;
import dev.ringzero.distribution.badjars.NotADriver;
import dev.ringzero.distribution.badjars.ThrowingConstructorDriver;
import dev.ringzero.distribution.badjars.UnresolvableDriver;
import dev.ringzero.distribution.drivers.GoodDriver;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every jar that cannot become a loaded driver gets one clear line — on the console and in
 * {@code log/host.log} — in {@code bin/ringzero run} and in the long-running host's {@code drivers/}
 * folder, when it is dropped there and when it is removed: an empty file, random bytes, a jar that is no
 * bundle, a bundle that is no driver, a missing entry class, an entry class that is no driver, a throwing
 * constructor, an unresolvable import (the missing package named, never Felix's stack trace), a duplicate.
 * Three JVMs in all: two runs and one host, each on a private copy of the distribution's home (its own
 * {@code drivers/}, {@code log/}, {@code data/}).
 */
class BadJarsIT {

    private static final String NOWHERE = "org.example.nowhere";

    /** How a driver's refusal for a package beyond the driver contract ends. */

    private static final String OUTSIDE_CONTRACT = " (a driver may import only dev.ringzero.api, dev.ringzero.api.lookaside,"

            + " dev.ringzero.api.memory and the JDK's packages)";

    @TempDir
    static Path tmp;

    private static Path home;
    private static Path jars;
    private static int scanMarks;

    @BeforeAll
    static void privateHome() throws IOException {
        Path dist = Distribution.home();
        home = tmp.resolve("home");
        Files.createDirectories(home.resolve("bin"));
        for (String script : List.of("ringzero", "find-jdk")) {
            Files.copy(dist.resolve("bin").resolve(script), home.resolve("bin").resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        for (String shared : List.of("lib", "system", "samples")) {
            Files.createSymbolicLink(home.resolve(shared), dist.resolve(shared));
        }
        Files.createDirectories(home.resolve("etc"));
        try (Stream<Path> etc = Files.list(dist.resolve("etc"))) {
            for (Path f : etc.toList()) {
                Files.copy(f, home.resolve("etc").resolve(f.getFileName()));
            }
        }
        Path config = home.resolve("etc/config.properties");   // a quicker look at drivers/ than a user needs
        Files.writeString(config, Files.readString(config).replace("felix.fileinstall.poll=1000", "felix.fileinstall.poll=200"));
        jars = tmp.resolve("jars");
        Files.createDirectories(jars);
    }

    // ------------------------------------------------------------------------------------------- the corpus

    private static Path empty() throws IOException {
        return Files.write(jars.resolve("empty.jar"), new byte[0]);
    }

    private static Path randomBytes() throws IOException {
        byte[] bytes = new byte[4096];
        new java.util.Random(15).nextBytes(bytes);
        return Files.write(jars.resolve("random.jar"), bytes);
    }

    private static Path noBundle() throws IOException {
        return TestBundles.plainJar(jars, "no-bundle.jar");
    }

    private static Path noDriver() throws IOException {
        return TestBundles.plainBundle(jars, "test.badjar.library");
    }

    private static Path good() throws IOException {
        return TestBundles.driverBundle(jars, GoodDriver.class);
    }

    private static Path missingEntry() throws IOException {
        return TestBundles.driverBundle(jars, "missing-entry.jar", GoodDriver.class, "dev.ringzero.distribution.badjars.Missing", "MissingEntry");
    }

    private static Path notADriver() throws IOException {
        return TestBundles.driverBundle(jars, "not-a-driver.jar", NotADriver.class, NotADriver.class.getName(), "NotADriver");
    }

    private static Path throwingConstructor() throws IOException {
        return TestBundles.driverBundle(jars, "throwing-constructor.jar", ThrowingConstructorDriver.class,
                ThrowingConstructorDriver.class.getName(), "ThrowingConstructor");
    }

    private static Path unresolvable() throws IOException {
        return TestBundles.driverBundle(jars, "unresolvable.jar", UnresolvableDriver.class, UnresolvableDriver.class.getName(),
                "UnresolvableDriver", NOWHERE);
    }

    private static Path namesake() throws IOException {
        return TestBundles.driverBundle(jars, "namesake.jar", NamesakeDriver.class, NamesakeDriver.class.getName(), "GoodDriver");
    }

    // ---------------------------------------------------------------------------------------------- run

    record Result(int exitCode, List<String> stdout, List<String> stderr) {
    }

    private static Result run(Path... driverJars) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/ringzero").toString(), "run"));
        for (Path j : driverJars) {
            command.add(j.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("RINGZERO_OPTS");
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ringzero run did not finish within 120 s; stdout so far:\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    @Test
    void runShouldRefuseEveryBadJarWithOneLineEachBeforeAnyDriverLoadsAndExitTwo() throws Exception {
        Path empty = empty();
        Path random = randomBytes();
        Path noBundle = noBundle();
        Path noDriver = noDriver();
        Path good = good();
        Path namesake = namesake();
        List<String> logBefore = hostLog();

        Result r = run(empty, random, noBundle, noDriver, good, good, namesake);

        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.stdout()).as("nothing loaded, no report").isEmpty();
        assertThat(r.stderr()).hasSize(6);
        assertThat(r.stderr().get(0)).isEqualTo("ringzero: corrupt jar: " + empty + " (zip file is empty)");
        assertThat(r.stderr().get(1)).startsWith("ringzero: corrupt jar: " + random + " (");
        assertThat(r.stderr().get(2)).isEqualTo("ringzero: not a driver bundle: " + noBundle
                + " (its manifest has no Bundle-SymbolicName: not an OSGi bundle)");
        assertThat(r.stderr().get(3)).isEqualTo("ringzero: not a driver bundle: " + noDriver + " (its manifest has no Ringzero-Driver header)");
        assertThat(r.stderr().get(4)).isEqualTo("ringzero: " + good + " is named twice; a driver is loaded once");
        assertThat(r.stderr().get(5)).isEqualTo("ringzero: " + namesake + " holds the driver GoodDriver, as " + good
                + " does; a driver name is loaded once (STATUS_IMAGE_ALREADY_LOADED)");
        assertThat(newLines(logBefore)).as("log/host.log").hasSize(6)
                .zipSatisfy(r.stderr(), (logged, printed) -> assertThat(logged).endsWith(" " + printed.substring("ringzero: ".length())));
    }

    @Test
    void runShouldGiveEachJarWhoseDriverCannotLoadOneLineRunTheOthersAndExitTwo() throws Exception {
        Path missingEntry = missingEntry();
        Path notADriver = notADriver();
        Path throwing = throwingConstructor();
        Path unresolvable = unresolvable();
        Path good = good();
        List<String> logBefore = hostLog();

        Result r = run(missingEntry, notADriver, throwing, unresolvable, good);

        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.stderr()).containsExactly("ringzero: cannot load " + unresolvable
                + ": refused: it imports package " + NOWHERE + OUTSIDE_CONTRACT);
        String report = String.join("\n", r.stdout());
        assertThat(r.stdout()).as(report)
                .contains("GoodDriver: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded", "GoodDriver: DriverUnload called")
                .noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in"));
        assertThat(only(r.stdout(), "MissingEntry: ")).as(report).contains("cannot create the driver from ")
                .contains("entry class dev.ringzero.distribution.badjars.Missing not found").endsWith("(STATUS_DRIVER_ENTRYPOINT_NOT_FOUND (0xC0000263))");
        assertThat(only(r.stdout(), "NotADriver: ")).as(report).contains("does not implement dev.ringzero.api.Driver");
        assertThat(only(r.stdout(), "ThrowingConstructor: ")).as(report)
                .contains("the constructor of " + ThrowingConstructorDriver.class.getName()
                        + " threw java.lang.IllegalStateException: no configuration for ThrowingConstructorDriver");
        assertThat(r.stdout()).as(report).noneMatch(l -> l.contains("UnresolvableDriver"));

        List<String> logged = newLines(logBefore);
        assertThat(logged).as("log/host.log").filteredOn(l -> l.contains(unresolvable.toString())).singleElement().asString()
                .endsWith(" cannot load " + unresolvable + ": refused: it imports package " + NOWHERE + OUTSIDE_CONTRACT);
        for (String driver : List.of("MissingEntry: ", "NotADriver: ", "ThrowingConstructor: ")) {
            assertThat(logged).as("log/host.log").filteredOn(l -> l.contains(" " + driver)).singleElement().asString()
                    .endsWith(only(r.stdout(), driver));
        }
    }

    // ------------------------------------------------------------------------------------------- drivers/

    /** A bad jar in the corpus, the line its drop must get and the line its removal must get. */
    record Bad(Path jar, Predicate<String> added, Predicate<String> removed, String describe) {
    }

    @Test
    void theHostShouldGiveEveryBadJarDroppedIntoDriversOneLineAndItsRemovalAnother() throws Exception {
        Path drivers = home.resolve("drivers");
        Files.createDirectories(drivers);
        // there before the host starts: FileInstall's first look runs while the platform starts
        Path early = TestBundles.driverBundle(jars, "early-unresolvable.jar", UnresolvableDriver.class,
                UnresolvableDriver.class.getName(), "EarlyUnresolvable", NOWHERE);
        drop(early, drivers);
        List<String> logBefore = hostLog();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/ringzero").toString(), "--nointeractive").directory(tmp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(tmp.resolve("host-stderr.txt").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("RINGZERO_OPTS");
        Process host = pb.start();
        ConsoleLines console = ConsoleLines.of(host);
        Map<String, Bad> corpus = new LinkedHashMap<>();
        try {
            console.await(l -> l.startsWith("Ringzero host started"), "the host's start");
            drop(good(), drivers);
            console.await(l -> l.equals("GoodDriver: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded"), "GoodDriver's load");

            for (Bad b : List.of(
                    fileLevel(drivers, empty(), "corrupt jar: ", " (zip file is empty)"),
                    fileLevel(drivers, randomBytes(), "corrupt jar: ", ""),
                    fileLevel(drivers, noBundle(), "not a driver bundle: ", " (its manifest has no Bundle-SymbolicName: not an OSGi bundle)"),
                    fileLevel(drivers, noDriver(), "not a driver bundle: ", " (its manifest has no Ringzero-Driver header)"),
                    new Bad(drivers.resolve("early-unresolvable.jar"),
                            l -> l.equals("drivers/: cannot load " + drivers.resolve("early-unresolvable.jar")
                                    + ": refused: it imports package " + NOWHERE + OUTSIDE_CONTRACT + "; not loaded"),
                            removedDriver(drivers.resolve("early-unresolvable.jar")), "unresolvable import, there at the start"),
                    new Bad(drivers.resolve("unresolvable.jar"),
                            l -> l.equals("drivers/: cannot load " + drivers.resolve("unresolvable.jar")
                                    + ": refused: it imports package " + NOWHERE + OUTSIDE_CONTRACT + "; not loaded"),
                            removedDriver(drivers.resolve("unresolvable.jar")), "unresolvable import"),
                    new Bad(drivers.resolve("missing-entry.jar"),
                            l -> l.startsWith("MissingEntry: cannot create the driver from ") && l.contains("entry class dev.ringzero.distribution.badjars.Missing not found"),
                            removedDriver(drivers.resolve("missing-entry.jar")), "missing entry class"),
                    new Bad(drivers.resolve("not-a-driver.jar"),
                            l -> l.startsWith("NotADriver: cannot create the driver from ") && l.contains("does not implement dev.ringzero.api.Driver"),
                            removedDriver(drivers.resolve("not-a-driver.jar")), "entry class no Driver"),
                    new Bad(drivers.resolve("throwing-constructor.jar"),
                            l -> l.startsWith("ThrowingConstructor: cannot create the driver from ") && l.contains("no configuration for ThrowingConstructorDriver"),
                            removedDriver(drivers.resolve("throwing-constructor.jar")), "throwing constructor"),
                    new Bad(drivers.resolve("namesake.jar"),
                            l -> l.equals("GoodDriver: STATUS_IMAGE_ALREADY_LOADED (0xC000010E); a driver of this name is already loaded"),
                            removedDriver(drivers.resolve("namesake.jar")), "duplicate driver name"))) {
                corpus.put(b.describe(), b);
            }
            for (Path j : List.of(empty(), randomBytes(), noBundle(), noDriver(), unresolvable(), missingEntry(), notADriver(),
                    throwingConstructor(), namesake())) {
                drop(j, drivers);
            }
            for (Bad b : corpus.values()) {
                console.await(b.added(), b.describe() + " dropped into drivers/");
            }
            twoMoreScans(drivers, console);
            for (Bad b : corpus.values()) {
                Files.delete(b.jar());
            }
            for (Bad b : corpus.values()) {
                console.await(b.removed(), b.describe() + " removed from drivers/");
            }
            twoMoreScans(drivers, console);
        } finally {
            host.destroy();   // SIGTERM: the host unloads its drivers and stops
            assertThat(host.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }

        List<String> lines = console.all();
        String all = String.join("\n", lines);
        List<String> logged = newLines(logBefore);
        for (Bad b : corpus.values()) {
            assertThat(lines).as(b.describe() + " dropped, on the console:\n" + all).filteredOn(b.added()).hasSize(1);
            assertThat(lines).as(b.describe() + " removed, on the console:\n" + all).filteredOn(b.removed()).hasSize(1);
            assertThat(logged).as(b.describe() + " dropped, in log/host.log").filteredOn(l -> b.added().test(l.substring(l.indexOf(' ') + 1))).hasSize(1);
            assertThat(logged).as(b.describe() + " removed, in log/host.log").filteredOn(l -> b.removed().test(l.substring(l.indexOf(' ') + 1))).hasSize(1);
        }
        assertThat(lines).as(all).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in") || l.contains("Unable to resolve"))
                .noneMatch(l -> l.contains("must never happen"));
        assertThat(Files.readAllLines(tmp.resolve("host-stderr.txt"))).as("nothing from Felix or FileInstall on stderr").isEmpty();
    }

    private static Bad fileLevel(Path drivers, Path built, String problem, String why) {
        Path jar = drivers.resolve(built.getFileName());
        return new Bad(jar, l -> l.startsWith("drivers/: " + problem + jar + " (") && l.endsWith(why + "; not loaded"),
                l -> l.equals("drivers/: " + jar + " removed; it was never loaded"), built.getFileName().toString());
    }

    private static Predicate<String> removedDriver(Path jar) {
        return l -> l.equals("drivers/: " + jar + " removed; its driver was not loaded");
    }

    /** Copies a jar into the folder under a name FileInstall ignores, then renames it: no half-written jar is seen. */
    private static void drop(Path jar, Path drivers) throws IOException {
        Path part = drivers.resolve(jar.getFileName() + ".part");
        Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, drivers.resolve(jar.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Waits until FileInstall has looked at drivers/ twice more from start to end after the last line so far, so
     * that a second line for a jar of the corpus, were there one, would be on the console. Each look lists the
     * folder, then handles what changed, on one thread; an empty jar dropped after the previous mark's line can
     * only be seen by a later look than that mark. So the third mark is handled at least three looks after the
     * one that printed the last line, and the two looks between them ran whole. The marks stay: they are not
     * corpus.
     */
    private static void twoMoreScans(Path drivers, ConsoleLines console) throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            Path mark = drivers.resolve("scan-mark-" + (++scanMarks) + ".jar");
            drop(Files.write(jars.resolve(mark.getFileName()), new byte[0]), drivers);
            console.await(l -> l.startsWith("drivers/: corrupt jar: " + mark + " ("), "the scan mark " + mark.getFileName());
        }
    }

    private static String only(List<String> lines, String prefix) {
        List<String> matching = lines.stream().filter(l -> l.startsWith(prefix)).toList();
        assertThat(matching).as("lines starting with '%s' in:\n%s", prefix, String.join("\n", lines)).hasSize(1);
        return matching.getFirst();
    }

    private static List<String> hostLog() throws IOException {
        Path log = home.resolve("log/host.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** The host log's lines written since {@code before} was read. */
    private static List<String> newLines(List<String> before) throws IOException {
        List<String> now = hostLog();
        return now.subList(before.size(), now.size());
    }
}
