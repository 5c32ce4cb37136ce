package dev.ringzero.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs the commands of {@code docs/writing-a-driver.md} as a reader would — {@code archetype:generate},
 * then {@code ./mvnw verify} in the generated project — and checks what they made: a project whose
 * test ran on the driver test kit and passed, and a jar that is a driver bundle.
 *
 * <p>The commands are the guide's, word for word (the code blocks after a
 * {@code <!-- tested: NAME -->} comment), run by {@code bash} with {@code RINGZERO} set to this
 * checkout. They run offline, on a throwaway local repository that {@code invoker:install} filled
 * with this build's archetype and Ringzero artifacts; everything else (Maven plugins, JUnit, Felix)
 * is read from the user's repository behind it ({@code maven.repo.local.tail}, Maven 3.9). Both
 * reach Maven through {@code MAVEN_ARGS}, which the wrapper's Maven reads before the command line.
 * Last, {@code ringzero run} loads the bundle into the real host (the distribution, which the reactor
 * builds before this module).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriverArchetypeIT {

    static final Path ROOT = Path.of(System.getProperty("ringzero.root")).toAbsolutePath().normalize();
    static final Path GUIDE = ROOT.resolve("docs/writing-a-driver.md");
    static final Path WORK = Path.of(System.getProperty("it.work")).toAbsolutePath();
    static final Path PROJECT = WORK.resolve("hello-driver");
    static final String VERSION = System.getProperty("ringzero.version");

    @BeforeAll
    static void freshWorkFolder() throws IOException {
        if (Files.exists(WORK)) {
            try (Stream<Path> all = Files.walk(WORK)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(WORK);
    }

    @Test
    @Order(1)
    void shouldGenerateTheProjectWithTheGuidesCommand() throws Exception {
        String generate = guideBlock("generate");
        assertTrue(generate.contains("-DarchetypeVersion=" + VERSION + " "),
                "the guide's archetype:generate must name this build's version (" + VERSION + "):\n" + generate);

        run("generate", generate, WORK);

        for (String file : List.of("pom.xml", "mvnw", "mvnw.cmd", ".mvn/wrapper/maven-wrapper.properties", "README.md",
                "src/main/java/module-info.java", "src/main/java/com/example/hello/HelloDriver.java",
                "src/test/java/com/example/hello/HelloDriverTest.java")) {
            assertTrue(Files.isRegularFile(PROJECT.resolve(file)), "generated " + file);
        }
        assertTrue(Files.isExecutable(PROJECT.resolve("mvnw")), "mvnw is executable");
        String pom = Files.readString(PROJECT.resolve("pom.xml"));
        assertTrue(pom.contains("<ringzero.version>" + VERSION + "</ringzero.version>"), "pom names Ringzero " + VERSION);
        assertFalse(Pattern.compile("@[a-z.-]+@").matcher(pom).find(), "every @version@ of the template filled in");
        assertTrue(Files.readString(PROJECT.resolve("src/main/java/com/example/hello/HelloDriver.java"))
                .contains("PoolTag.fromDisplay(\"Helo\")"));
    }

    @Test
    @Order(2)
    void shouldBuildItOfflineRunItsTestAndMakeADriverBundle() throws Exception {
        run("build", guideBlock("build"), WORK);

        String report = Files.readString(PROJECT.resolve("target/surefire-reports/TEST-com.example.hello.HelloDriverTest.xml"));
        assertTrue(report.contains("tests=\"2\"") && report.contains("failures=\"0\"") && report.contains("errors=\"0\"")
                && report.contains("skipped=\"0\""), "the generated test ran and passed:\n" + report.lines().limit(3).toList());

        Path jar = PROJECT.resolve("target/hello-driver-1.0.0-SNAPSHOT.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            Attributes m = j.getManifest().getMainAttributes();
            assertEquals("com.example.hello.HelloDriver", m.getValue("Ringzero-Driver"));
            assertEquals("HelloDriver", m.getValue("Ringzero-Driver-Name"));
            assertEquals("com.example.hello", m.getValue("Bundle-SymbolicName"));
            assertEquals("2", m.getValue("Bundle-ManifestVersion"));
            assertTrue(m.getValue("Import-Package").contains("dev.ringzero.api;version=\"[1.4,2)\""), m.getValue("Import-Package"));
            assertTrue(m.getValue("Require-Capability").contains("(&(osgi.ee=JavaSE)(version=25))"), m.getValue("Require-Capability"));
            try (InputStream in = j.getInputStream(j.getEntry("module-info.class"))) {
                ModuleDescriptor module = ModuleDescriptor.read(in);
                assertEquals("com.example.hello", module.name());
                assertTrue(module.requires().stream().anyMatch(r -> r.name().equals("dev.ringzero.api")), module.toString());
                assertTrue(module.exports().stream().anyMatch(e -> e.source().equals("com.example.hello")), module.toString());
            }
        }
    }

    @Test
    @Order(3)
    void shouldLoadTheBundleIntoTheHost() throws Exception {
        Path launcher = ROOT.resolve("distribution/target/ringzero/bin/ringzero");
        Assumptions.assumeTrue(Files.isExecutable(launcher), "the host is not built (" + launcher + "); the reactor builds"
                + " it before this module (./mvnw verify), or: ./mvnw package -pl distribution -am");

        String output = run("host", guideBlock("host"), PROJECT);

        for (String expected : List.of(
                "HelloDriver: Entering DriverEntry",
                "HelloDriver: Request #3 (192 bytes) completed",
                "HelloDriver: Leaving DriverUnload",
                "HelloDriver: DriverEntry returned STATUS_SUCCESS (0x00000000); driver loaded",
                "HelloDriver: DriverUnload returned; driver unloaded")) {
            assertTrue(output.lines().anyMatch(expected::equals), "ringzero run printed <" + expected + ">:\n" + output);
        }
        assertTrue(Pattern.compile("(?m)^ Helo Nonp +4 +4 +0 +0 ").matcher(output).find(),
                "the report's pool activity shows Helo given back:\n" + output);
    }

    @Test
    @Order(4)
    void shouldRefuseAPoolTagThatIsNotFourLettersOrDigits() throws Exception {
        String badTag = guideBlock("generate").replace("-DartifactId=hello-driver", "-DartifactId=bad-driver")
                .replace("-DpoolTag=Helo", "-DpoolTag=Hello");

        String output = run("bad-tag", badTag, WORK, false);

        assertTrue(output.contains("poolTag 'Hello' must be four letters or digits"), output);
        assertFalse(Files.exists(WORK.resolve("bad-driver")), "nothing generated");
    }

    /** The code block that follows {@code <!-- tested: name -->} in the guide. */
    static String guideBlock(String name) throws IOException {
        String md = Files.readString(GUIDE);
        Matcher m = Pattern.compile("<!-- tested: " + Pattern.quote(name) + " -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(md);
        if (!m.find()) {
            fail(GUIDE + " has no code block marked <!-- tested: " + name + " -->");
        }
        return m.group(1);
    }

    /**
     * Runs guide commands in bash from {@code dir}; returns their output, or fails with its end. The host
     * launcher uses the distribution this build made ({@code RINGZERO_SKIP_BUILD=1}) instead of building one.
     */
    static String run(String step, String commands, Path dir) throws Exception {
        return run(step, commands, dir, true);
    }

    /** {@link #run(String, String, Path)}, expecting the commands to succeed or to fail. */
    static String run(String step, String commands, Path dir, boolean succeed) throws Exception {
        Path log = WORK.resolve(step + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", commands)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("RINGZERO", ROOT.toString());
        pb.environment().put("RINGZERO_SKIP_BUILD", "1");
        pb.environment().put("MAVEN_ARGS", String.join(" ", List.of("-o", "-ntp",
                "-Dmaven.repo.local=" + System.getProperty("it.repo"),
                "-Dmaven.repo.local.tail=" + System.getProperty("user.repo"))));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the guide's '" + step + "' commands did not finish in 5 minutes; output in " + log);
        }
        String output = Files.readString(log);
        if (!succeed) {
            assertTrue(p.exitValue() != 0, "the '" + step + "' commands were to fail:\n" + output);
        } else if (p.exitValue() != 0) {
            List<String> lines = output.lines().toList();
            fail("the guide's '" + step + "' commands failed (exit " + p.exitValue() + "):\n" + commands
                    + "\n--- last lines of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
        }
        return output;
    }
}
