package dev.ringzero.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs the commands of {@code docs/writing-an-allocator.md} as a reader would — {@code archetype:generate}, then
 * {@code ./mvnw verify} in the generated project — and checks what they made: a project whose lookaside contract
 * suite (allocator-tck) ran against the generated {@code guarded} policy and passed, and a jar that the host's
 * {@code allocators/} folder accepts: it imports only the API and the SPI, and registers the policy as a
 * Declarative Services component of service type {@code LookasidePolicy} (what the host's {@code AllocatorBundles}
 * tracks).
 *
 * <p>The commands are the guide's, word for word (the code blocks after a {@code <!-- tested: NAME -->} comment),
 * run by {@code bash} with {@code RINGZERO} set to this checkout, offline, on a throwaway local repository that
 * {@code invoker:install} filled with this build's archetype and Ringzero artifacts (see DriverArchetypeIT, which
 * does the same for the driver guide).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AllocatorArchetypeIT {

    static final Path ROOT = Path.of(System.getProperty("ringzero.root")).toAbsolutePath().normalize();
    static final Path GUIDE = ROOT.resolve("docs/writing-an-allocator.md");
    static final Path WORK = Path.of(System.getProperty("it.work")).toAbsolutePath();
    static final Path PROJECT = WORK.resolve("guarded-allocator");
    static final String VERSION = System.getProperty("ringzero.version");
    static final String POLICY = "com/example/guarded/GuardedPolicy";

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

        run("generate", generate, WORK, true);

        for (String file : List.of("pom.xml", "mvnw", "mvnw.cmd", ".mvn/wrapper/maven-wrapper.properties", "README.md",
                "src/main/java/module-info.java", "src/main/java/" + POLICY + ".java",
                "src/main/resources/META-INF/services/dev.ringzero.spi.lookaside.LookasidePolicy",
                "src/test/java/" + POLICY + "TckTest.java")) {
            assertTrue(Files.isRegularFile(PROJECT.resolve(file)), "generated " + file);
        }
        assertTrue(Files.isExecutable(PROJECT.resolve("mvnw")), "mvnw is executable");
        String pom = Files.readString(PROJECT.resolve("pom.xml"));
        assertTrue(pom.contains("<ringzero.version>" + VERSION + "</ringzero.version>"), "pom names Ringzero " + VERSION);
        assertFalse(Pattern.compile("@[a-z.-]+@").matcher(pom).find(), "every @version@ of the template filled in");
        String policy = Files.readString(PROJECT.resolve("src/main/java/" + POLICY + ".java"));
        assertTrue(policy.contains("public static final String NAME = \"guarded\";"), policy);
        assertTrue(policy.contains("new BugCheckCode(0xC6,"), "the guide's example: 0xC6 on a changed poison");
        assertEquals("com.example.guarded.GuardedPolicy", Files.readString(PROJECT.resolve(
                "src/main/resources/META-INF/services/dev.ringzero.spi.lookaside.LookasidePolicy")).strip());
    }

    @Test
    @Order(2)
    void shouldBuildItOfflineAndPassTheLookasideContractSuite() throws Exception {
        run("build", guideBlock("build"), WORK, true);

        // Every report surefire wrote. Its <testsuite> header counts no tests for a class whose tests are all in
        // inherited @Nested classes (the suite's): count the <testcase> elements and what they hold instead.
        List<String> classes = new ArrayList<>();
        long tests = 0;
        long failures = 0;
        long errors = 0;
        try (Stream<Path> reports = Files.list(PROJECT.resolve("target/surefire-reports"))) {
            for (Path report : reports.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                String xml = Files.readString(report);
                classes.add(report.getFileName().toString());
                tests += count(xml, "<testcase ");
                failures += count(xml, "<failure");
                errors += count(xml, "<error");
            }
        }
        assertTrue(classes.contains("TEST-com.example.guarded.GuardedPolicyTckTest.xml"), "the generated TCK test ran: " + classes);
        assertTrue(tests > 50, "the whole lookaside contract suite ran: " + tests + " tests in " + classes);
        assertEquals(0, failures, "TCK failures in " + classes);
        assertEquals(0, errors, "TCK errors in " + classes);
        String build = Files.readString(WORK.resolve("build.log"));
        assertTrue(Pattern.compile("Tests run: " + tests + ", Failures: 0, Errors: 0, Skipped: 0\\s*$", Pattern.MULTILINE)
                .matcher(build).find(), "surefire's summary: " + tests + " run, none failed or skipped (the real pool)");
    }

    @Test
    @Order(3)
    void shouldMakeABundleTheAllocatorsFolderAccepts() throws Exception {
        Path jar = PROJECT.resolve("target/guarded-allocator-1.0.0.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            Attributes m = j.getManifest().getMainAttributes();
            assertEquals("com.example.guarded", m.getValue("Bundle-SymbolicName"));
            assertEquals("1.0.0", m.getValue("Bundle-Version"));
            assertEquals("2", m.getValue("Bundle-ManifestVersion"));

            List<String> imports = packages(m.getValue("Import-Package"));
            assertTrue(imports.contains("dev.ringzero.spi.lookaside"), "imports the SPI: " + imports);
            assertTrue(imports.stream().allMatch(p -> p.equals("dev.ringzero.api") || p.startsWith("dev.ringzero.api.")
                    || p.startsWith("dev.ringzero.spi.") || p.startsWith("java.")),
                    "imports only dev.ringzero.api*, dev.ringzero.spi* and the JDK's packages (allocators/' trust level): " + imports);
            assertEquals(null, m.getValue("Require-Bundle"));
            assertEquals(null, m.getValue("Fragment-Host"));
            assertTrue(m.getValue("Provide-Capability").contains("objectClass:List<String>=\"dev.ringzero.spi.lookaside.LookasidePolicy\""),
                    m.getValue("Provide-Capability"));

            // the Declarative Services component SCR reads: the policy, as a LookasidePolicy, with its name
            String components = m.getValue("Service-Component");
            assertTrue(components != null && !components.isBlank(), "a Service-Component header");
            JarEntry entry = j.getJarEntry(components.split(",")[0].strip());
            assertTrue(entry != null, "the component " + components + " is in the jar");
            String xml;
            try (InputStream in = j.getInputStream(entry)) {
                xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(xml.contains("<implementation class=\"com.example.guarded.GuardedPolicy\"/>"), xml);
            assertTrue(xml.contains("<provide interface=\"dev.ringzero.spi.lookaside.LookasidePolicy\"/>"), xml);
            assertTrue(xml.contains("name=\"lookaside.implementation\"") && xml.contains("value=\"guarded\""), xml);

            try (InputStream in = j.getInputStream(j.getEntry("module-info.class"))) {
                ModuleDescriptor module = ModuleDescriptor.read(in);
                assertEquals("com.example.guarded", module.name());
                assertTrue(module.exports().isEmpty(), "exports nothing: " + module);
                assertTrue(module.provides().stream().anyMatch(p -> p.service().equals("dev.ringzero.spi.lookaside.LookasidePolicy")
                        && p.providers().equals(List.of("com.example.guarded.GuardedPolicy"))), module.toString());
            }
        }
    }

    @Test
    @Order(4)
    void shouldRefuseAPolicyNameKdAllocatorsCouldNotTake() throws Exception {
        String badName = guideBlock("generate").replace("-DartifactId=guarded-allocator", "-DartifactId=bad-allocator")
                .replace("-DpolicyName=guarded", "-DpolicyName=Guarded");

        String output = run("bad-name", badName, WORK, false);

        assertTrue(output.contains("policyName 'Guarded' must be lower-case letters, digits or '-'"), output);
        assertFalse(Files.exists(WORK.resolve("bad-allocator")), "nothing generated");
    }

    private static long count(String text, String what) {
        long n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }

    /** The package names of an Import-Package header (attributes and quoted ranges dropped). */
    private static List<String> packages(String header) {
        String unquoted = header.replaceAll("\"[^\"]*\"", "");
        return Stream.of(unquoted.split(",")).map(clause -> clause.split(";")[0].strip()).toList();
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

    /** Runs guide commands in bash from {@code dir}, expecting them to succeed or to fail; returns their output. */
    static String run(String step, String commands, Path dir, boolean succeed) throws Exception {
        Path log = WORK.resolve(step + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", commands)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("RINGZERO", ROOT.toString());
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
