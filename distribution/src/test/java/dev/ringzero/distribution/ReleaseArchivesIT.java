package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archives as a user gets them: unpacked with {@code tar} or {@code unzip} into a folder whose
 * path has spaces, and {@code bin/ringzero run} started from another directory. The tutorial's transcript
 * and report must come out as from the source tree's {@code ./ringzero run}.
 *
 * <ul>
 * <li>{@code ringzero-VERSION.tar.gz} and {@code .zip}: JAVA_HOME unset and an older JDK's {@code java} first on
 *     PATH, so the launcher finds a JDK 25 by itself;</li>
 * <li>a read-only installation: {@code RINGZERO_DATA} and {@code RINGZERO_LOG} elsewhere, and nothing in the
 *     installation changes;</li>
 * <li>{@code ringzero-VERSION-PLATFORM.tar.gz}: no JDK on PATH (only the few tools the launcher's shell uses) and
 *     none in JAVA_HOME: the host runs on the archive's own {@code runtime/}.</li>
 * </ul>
 */
class ReleaseArchivesIT {

    private static final String STATUS_LINE =
            "LookasideList: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded";

    /** What the launcher's shell scripts call besides bash's builtins. */
    private static final List<String> LAUNCHER_TOOLS = List.of("bash", "dirname", "readlink", "grep");

    @TempDir
    Path tmp;

    record Result(int exitCode, List<String> stdout, List<String> stderr) {
    }

    @Test
    void theTarGzShouldRunFromAPathWithSpacesAndAnotherDirectory() throws Exception {
        Path home = unpack(archive(""), ".tar.gz");
        Result r = ringzero(home, otherDirectory(), withOlderJdkFirst(Map.of()));
        assertTutorial(r);
        assertThat(Files.readString(home.resolve("log/dbgprint.log"))).contains("[LookasideList] LookasideList: Entering DriverEntry");
    }

    @Test
    void theZipShouldRunFromAPathWithSpacesAndAnotherDirectory() throws Exception {
        Path home = unpack(archive(""), ".zip");
        assertThat(home.resolve("bin/ringzero")).as("unzip keeps the launcher executable").isExecutable();
        Result r = ringzero(home, otherDirectory(), withOlderJdkFirst(Map.of()));
        assertTutorial(r);
    }

    @Test
    void aReadOnlyInstallationShouldWriteOnlyToRingzeroDataAndRingzeroLog() throws Exception {
        Path home = unpack(archive(""), ".tar.gz");
        Path state = Files.createDirectories(tmp.resolve("var lib/ringzero"));
        readOnly(home);
        Map<String, FileTime> before = tree(home);

        Result r = ringzero(home, otherDirectory(), withOlderJdkFirst(Map.of(
                "RINGZERO_DATA", state.resolve("data").toString(),
                "RINGZERO_LOG", state.resolve("log").toString())));

        assertTutorial(r);
        assertThat(tree(home)).as("the installation is unchanged").isEqualTo(before);
        assertThat(Files.readString(state.resolve("log/dbgprint.log"))).contains("[LookasideList] LookasideList: Entering DriverEntry");
        assertThat(state.resolve("data")).as("the framework's storage went to RINGZERO_DATA").isDirectory();
    }

    @Test
    void theSelfContainedArchiveShouldRunWithNoJdkOnPathOrInJavaHome() throws Exception {
        assumeFalse(Boolean.getBoolean("ringzero.runtime.skip"), "built with -Dringzero.runtime.skip=true: no self-contained archive");
        Path home = unpack(archive("-" + System.getProperty("ringzero.runtime.platform")), ".tar.gz");
        assertThat(Files.readString(home.resolve("runtime/release"))).contains("JAVA_VERSION=\"25");

        Path tools = Files.createDirectories(tmp.resolve("only shell tools"));
        for (String tool : LAUNCHER_TOOLS) {
            // a forwarding script, not a link: PATH then reaches nothing else of /usr/bin
            Path script = Files.writeString(tools.resolve(tool), "#!/bin/sh\nexec '" + which(tool) + "' \"$@\"\n");
            assertThat(script.toFile().setExecutable(true, false)).isTrue();
        }
        Map<String, String> env = Map.of(
                "PATH", tools.toString(),
                "JAVA_HOME", tmp.resolve("no jdk here").toString(),
                "HOME", tmp.toString(),
                // where the JVM says which Java it is, on standard error
                "RINGZERO_OPTS", "-XshowSettings:properties");
        Result r = ringzero(home, otherDirectory(), env);

        assertTutorialOutput(r);
        assertThat(r.stderr()).as("the host ran on the archive's runtime").anyMatch(l -> l.strip().equals("java.home = " + home.resolve("runtime")));
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** {@code target/ringzero-VERSION<suffix>}, without the extension. */
    private static String archive(String suffix) {
        String prefix = System.getProperty("ringzero.archive.prefix");
        assertThat(prefix).as("failsafe passes ringzero.archive.prefix (distribution/pom.xml)").isNotBlank();
        return prefix + suffix;
    }

    /** Unpacks the archive as a user does, into a folder with spaces; returns its single top folder. */
    private Path unpack(String archive, String extension) throws IOException, InterruptedException {
        Path file = Path.of(archive + extension);
        assertThat(file).as("the package phase builds the release archives: ./mvnw verify -pl distribution -am").isRegularFile();
        Path into = Files.createDirectories(tmp.resolve("My Downloads/ring zero"));
        List<String> command = extension.equals(".zip")
                ? List.of("unzip", "-q", file.toString(), "-d", into.toString())
                : List.of("tar", "-xzf", file.toString(), "-C", into.toString());
        Result r = exec(command, tmp, Map.of());
        assertThat(r.exitCode()).as("%s: %s", command, r.stderr()).isZero();
        try (Stream<Path> top = Files.list(into)) {
            List<Path> folders = top.toList();
            assertThat(folders).as("one top folder, ringzero-VERSION").singleElement()
                    .satisfies(f -> assertThat(f.getFileName().toString()).startsWith("ringzero-"));
            Path home = folders.getFirst();
            assertThat(home.resolve("LICENSE")).isRegularFile();
            assertThat(home.resolve("NOTICE")).isRegularFile();
            return home;
        }
    }

    private Path otherDirectory() throws IOException {
        return Files.createDirectories(tmp.resolve("somewhere else"));
    }

    /** JAVA_HOME unset and an older JDK's {@code java} first on PATH: the launcher must find a JDK 25 itself. */
    private static Map<String, String> withOlderJdkFirst(Map<String, String> more) throws IOException {
        Map<String, String> env = new TreeMap<>(more);
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        env.put("PATH", SampleRun.olderJdk().map(jdk -> jdk.resolve("bin") + ":" + path).orElse(path));
        return env;
    }

    /** {@code home/bin/ringzero run} in {@code dir}; {@code env} over the test JVM's environment less any Java settings. */
    private static Result ringzero(Path home, Path dir, Map<String, String> env) throws IOException, InterruptedException {
        return exec(List.of(home.resolve("bin/ringzero").toString(), "run"), dir, env);
    }

    private static Result exec(List<String> command, Path dir, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.remove("JAVA_HOME");
        e.remove("RINGZERO_JAVA_HOME");
        e.remove("RINGZERO_OPTS");
        e.remove("RINGZERO_DATA");
        e.remove("RINGZERO_LOG");
        e.putAll(env);
        Path out = Files.createTempFile("ringzero-stdout", ".txt");
        Path err = Files.createTempFile("ringzero-stderr", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 180 s; stdout so far:\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readAllLines(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The tutorial's transcript and report (README, "A tour"), and nothing on standard error. */
    private static void assertTutorial(Result r) {
        assertTutorialOutput(r);
        assertThat(r.stderr()).as("nothing on stderr: no warnings, no stack traces").isEmpty();
    }

    private static void assertTutorialOutput(Result r) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("", "LookasideList: Entering DriverEntry");
        assertThat(r.stdout()).containsSubsequence(
                "LookasideList: Lookaside list initialized",
                "LookasideList: Doubly linked list head initialized",
                "LookasideList: Start to allocate/free from/to lookaside list",
                "LookasideList: + Entry #1 added",
                "LookasideList: - Entry #10 removed",
                "LookasideList: Free the rest to lookaside list",
                "LookasideList: Doubly linked list is empty",
                "LookasideList: Lookaside list deleted",
                "LookasideList: Leaving DriverEntry",
                "--- ringzero run: report ---",
                "Drivers:",
                STATUS_LINE,
                "Pool activity (per tag and pool type):",
                " Tag  Type      Allocs      Frees  Reclaimed       Diff      Bytes  Per Alloc",
                "Lookaside lists (!lookaside, each just before its delete):",
                "    Type           =       0001  PagedPool",
                "    Current Depth  =          4  Max Depth  =          4",
                "    Size           =         20  Max Alloc  =         80",
                "    AllocateMisses =          6  FreeMisses =          2",
                "    TotalAllocates =         10  TotalFrees =         10",
                "    Hit Rate       =         40% Hit Rate   =         80%");
        assertThat(r.stdout()).anyMatch(l -> l.matches(" Wasm Paged +6 +6 +0 +0 +0 +0"));
        assertThat(r.stdout()).doesNotContain("Bug checks:", "Host faults:");
    }

    /** Every file and folder under {@code root} with its modification time. */
    private static Map<String, FileTime> tree(Path root) throws IOException {
        Map<String, FileTime> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                files.put(root.relativize(p).toString(), Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    /** Takes the write permission away (root, as in CI containers, writes anyway: {@link #tree} is the check). */
    private static void readOnly(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.toList());
        }
        for (Path p : all.reversed()) {
            p.toFile().setWritable(false, false);
        }
    }

    private static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no " + tool + " on PATH: the launcher needs it");
    }
}
