package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a new user types it: {@code ./ringzero run} in a fresh checkout (the
 * repository's files, no {@code target/} anywhere), with JAVA_HOME unset and an older JDK's {@code java}
 * first on PATH. The script must build the distribution itself (finding JDK 25 for the build and the
 * host), then run the tutorial's driver.
 *
 * <p>The nested build runs offline ({@code MAVEN_ARGS=-o}): everything it needs is in the local
 * repository already, because the outer build resolved the same artifacts.
 */
class FreshCheckoutIT {

    @TempDir
    Path checkout;

    @Test
    void ringzeroRunShouldBuildWhatIsMissingAndRunTheTutorialsDriver() throws Exception {
        copyRepositoryFiles(repositoryRoot(), checkout);
        assertThat(checkout.resolve("distribution/target")).doesNotExist();

        ProcessBuilder pb = new ProcessBuilder(checkout.resolve("ringzero").toString(), "run").directory(checkout.toFile());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        env.remove("RINGZERO_JAVA_HOME");
        env.remove("RINGZERO_OPTS");
        env.remove("RINGZERO_SKIP_BUILD");
        env.put("MAVEN_ARGS", "-o");
        SampleRun.olderJdk().ifPresent(jdk -> env.put("PATH", jdk.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin")));
        Path out = checkout.resolve("stdout.txt");
        Path err = checkout.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(420, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./ringzero run did not finish within 420 s; stderr:\n" + Files.readString(err));
        }
        SampleRun r = new SampleRun(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stderr()).as("the script says it builds, on stderr").anyMatch(l -> l.startsWith("ringzero: building the distribution"));
        assertThat(r.stdout()).containsSubsequence(
                "LookasideList: Entering DriverEntry",
                "LookasideList: Lookaside list initialized",
                "LookasideList: + Entry #1 added",
                "LookasideList: - Entry #1 removed",
                "LookasideList: Doubly linked list is empty",
                "LookasideList: Lookaside list deleted",
                "LookasideList: Leaving DriverEntry",
                "--- ringzero run: report ---",
                "LookasideList: DriverEntry returned STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182); driver unloaded");
        assertThat(r.report()).anyMatch(l -> l.matches("Lookaside \"\" @ [0-9a-f]{8} \"Wasm\""));
        assertThat(r.report()).anyMatch(l -> l.matches("\\s*TotalAllocates =\\s+10\\s+TotalFrees =\\s+10"));
        assertThat(checkout.resolve("distribution/target/ringzero/bin/ringzero")).isExecutable();
    }

    /** The folder holding the root pom: the distribution module's parent. */
    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("ringzero")).as("the repository root holds the ringzero script").isRegularFile();
        return root;
    }

    /**
     * Copies what a clone has: the files git tracks plus the untracked ones it does not ignore (a working
     * tree under development); without git, every file outside {@code target/} and {@code .git/}.
     */
    private static void copyRepositoryFiles(Path root, Path to) throws IOException, InterruptedException {
        List<String> files = gitFiles(root);
        if (files.isEmpty()) {
            try (var walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile)
                        .map(f -> root.relativize(f).toString())
                        .filter(f -> !f.startsWith(".git/") && !f.contains("target/"))
                        .forEach(files::add);
            }
        }
        for (String f : files) {
            Path source = root.resolve(f);
            if (!Files.isRegularFile(source)) {
                continue;   // deleted in the working tree
            }
            Path target = to.resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static List<String> gitFiles(Path root) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z")
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] listing = git.getInputStream().readAllBytes();
        List<String> files = new ArrayList<>();
        if (git.waitFor() == 0) {
            for (String f : new String(listing, StandardCharsets.UTF_8).split("\0")) {
                if (!f.isEmpty()) files.add(f);
            }
        }
        return files;
    }
}
