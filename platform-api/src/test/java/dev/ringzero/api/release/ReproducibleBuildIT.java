package dev.ringzero.api.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproducible builds: the API's jars built a second time from the same sources — a copy of the root pom, the
 * Maven wrapper and this module in another folder, built offline — are byte for byte the jars of this build
 * ({@code project.build.outputTimestamp} in the root pom fixes every entry's time). Both builds run Maven on the
 * same JVM, as a release build must (see docs/releasing.md).
 */
class ReproducibleBuildIT {

    @TempDir
    Path tmp;

    @Test
    void aSecondBuildOfTheSameSourcesShouldMakeTheSameJars() throws Exception {
        Path root = Path.of(System.getProperty("ringzero.root", "..")).toAbsolutePath().normalize();
        Path module = Path.of(System.getProperty("api.module", ".")).toAbsolutePath().normalize();
        Path copy = tmp.resolve("second build");
        copy(root, copy, List.of("pom.xml", "mvnw", ".mvn"));
        copy(module, copy.resolve(module.getFileName()), List.of("pom.xml", "src", "baseline"));

        Path log = tmp.resolve("build.log");
        ProcessBuilder pb = new ProcessBuilder("./mvnw", "-o", "-q", "-B", "-Dmaven.test.skip=true",
                "-Dmaven.javadoc.skip=true", "-f", module.getFileName() + "/pom.xml", "package")
                .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("MAVEN_ARGS");
        // Maven on the JVM this build's Maven runs on: bnd writes pom.properties in the order that JVM's Properties
        // keeps, so Maven on 17 and Maven on 25 make jars that differ there (the classes do not)
        pb.environment().put("JAVA_HOME", System.getProperty("maven.java.home"));
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the second build did not finish within 300 s:\n" + Files.readString(log));
        }
        assertThat(p.exitValue()).as("the second build (offline):\n%s", Files.readString(log, StandardCharsets.UTF_8)).isZero();

        for (String jar : List.of(System.getProperty("api.jar"), System.getProperty("api.sources.jar"))) {
            Path first = module.resolve("target").resolve(jar);
            Path second = copy.resolve(module.getFileName()).resolve("target").resolve(jar);
            assertThat(first).isRegularFile();
            assertThat(second).isRegularFile();
            if (!sha256(second).equals(sha256(first))) {
                // kept for a look: unzip -Z -v, or diffoscope
                Path kept = module.resolve("target/second-build");
                Files.createDirectories(kept);
                Files.copy(second, kept.resolve(jar), StandardCopyOption.REPLACE_EXISTING);
                throw new AssertionError(jar + " built twice differs; the second is in " + kept);
            }
        }
    }

    private static void copy(Path from, Path to, List<String> names) throws IOException {
        for (String name : names) {
            Path source = from.resolve(name);
            if (!Files.exists(source)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(source)) {
                for (Path p : all.toList()) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
