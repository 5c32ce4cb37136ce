package dev.ringzero.api.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Another build of the API module: a copy of the root pom, the Maven wrapper and this module (sources, pom,
 * baseline; no {@code target/}) in a folder of its own, which a test may change before it builds it with
 * {@code ./mvnw -o package}, offline, without tests, on the JVM this build's Maven runs on.
 */
final class SecondBuild {

    /** This checkout's root and this module, as failsafe passes them (platform-api/pom.xml). */
    static final Path ROOT = Path.of(System.getProperty("ringzero.root", "..")).toAbsolutePath().normalize();
    static final Path MODULE = Path.of(System.getProperty("api.module", ".")).toAbsolutePath().normalize();

    private final Path copy;

    private SecondBuild(Path copy) {
        this.copy = copy;
    }

    /** Copies the sources into {@code folder}. */
    static SecondBuild copyInto(Path folder) throws IOException {
        copy(ROOT, folder, List.of("pom.xml", "mvnw", ".mvn"));
        copy(MODULE, folder.resolve(MODULE.getFileName()), List.of("pom.xml", "src", "baseline"));
        return new SecondBuild(folder);
    }

    /** A file of the copied module, to change before {@link #packageIt}. */
    Path moduleFile(String relative) {
        return copy.resolve(MODULE.getFileName()).resolve(relative);
    }

    /** {@code ./mvnw -o package} without tests or Javadoc; fails the test with Maven's output if the build fails. */
    void packageIt() throws IOException, InterruptedException {
        Path log = copy.resolve("build.log");
        ProcessBuilder pb = new ProcessBuilder("./mvnw", "-o", "-q", "-B", "-Dmaven.test.skip=true",
                "-Dmaven.javadoc.skip=true", "-f", MODULE.getFileName() + "/pom.xml", "package")
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
    }

    /** A file the build made in the module's {@code target/}. */
    Path target(String name) {
        Path file = moduleFile("target/" + name);
        assertThat(file).as("the second build made it").isRegularFile();
        return file;
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
}
