package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source tree's {@code ./ringzero} decides whether to build the distribution first: not when Maven built it
 * after the last change ({@code ./mvnw install} or {@code package} leave no stamp of the script's), yes when a
 * source changed since. Run on a copy of the script in a small tree with a stand-in {@code mvnw} (counts its
 * calls) and a stand-in distribution (says it ran), so nothing is really built.
 */
class SourceCheckoutScriptIT {

    @TempDir
    Path root;

    @Test
    void aDistributionMavenBuiltAfterTheLastChangeShouldRunWithoutARebuild() throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent();
        Files.copy(repository.resolve("ringzero"), root.resolve("ringzero"));
        executable(root.resolve("ringzero"));
        Path findJdk = root.resolve("distribution/src/main/dist/bin/find-jdk");
        Files.createDirectories(findJdk.getParent());
        Files.copy(repository.resolve("distribution/src/main/dist/bin/find-jdk"), findJdk);
        write(root.resolve("mvnw"), "#!/usr/bin/env bash\necho build >> \"$(dirname \"$0\")/mvnw-calls\"\n");
        executable(root.resolve("mvnw"));
        Path launcher = root.resolve("distribution/target/ringzero/bin/ringzero");
        write(launcher, "#!/usr/bin/env bash\necho \"ran $*\"\n");
        executable(launcher);
        Path source = root.resolve("platform-api/src/main/java/Api.java");
        write(source, "class Api {}\n");
        Path jar = root.resolve("distribution/target/ringzero/lib/dev.ringzero.host-0.1.0.jar");
        write(jar, "");
        Instant now = Instant.now();
        Files.setLastModifiedTime(source, FileTime.from(now.minusSeconds(100)));
        Files.setLastModifiedTime(root.resolve("distribution/src/main/dist/bin/find-jdk"), FileTime.from(now.minusSeconds(100)));
        Files.setLastModifiedTime(jar, FileTime.from(now.minusSeconds(10)));   // Maven built after the last change

        assertThat(run()).containsExactly("ran --version");
        assertThat(root.resolve("mvnw-calls")).as("no rebuild after ./mvnw install").doesNotExist();

        Files.setLastModifiedTime(source, FileTime.from(now));                  // a change since
        assertThat(run()).containsExactly("ran --version");
        assertThat(Files.readAllLines(root.resolve("mvnw-calls"))).as("one rebuild").hasSize(1);

        assertThat(run()).containsExactly("ran --version");
        assertThat(Files.readAllLines(root.resolve("mvnw-calls"))).as("the script's stamp counts too").hasSize(1);
    }

    private List<String> run() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("ringzero").toString(), "--version").directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s", out).isZero();
        return out;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
