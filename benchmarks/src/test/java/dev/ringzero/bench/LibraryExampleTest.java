package dev.ringzero.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use it as a library" example, as printed there: compiled with javac and run in a JVM of its
 * own whose module path holds only the API, the pool, the lookaside lists and Guava — no Felix, no host,
 * no internal class.
 */
class LibraryExampleTest {

    /** What the library needs: our three modules and Guava's two jars. Anything else on the path must not be. */
    private static final List<String> MODULES = List.of("platform-api", "allocator-pool", "allocator-lookaside",
            "guava", "failureaccess");

    @TempDir
    Path tmp;

    @Test
    void theReadmesLibraryExampleShouldCompileAndRunOnAPlainModulePath() throws Exception {
        String example = readmeExample();
        Path source = tmp.resolve("src/Example.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, example);
        String modulePath = modulePath();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = tmp.resolve("classes");
        int compiled = javac.run(null, null, null, "--module-path", modulePath, "--add-modules", "dev.ringzero.api",
                "-d", classes.toString(), source.toString());
        assertThat(compiled).as("javac on the README's example").isZero();

        String java = ProcessHandle.current().info().command().orElseThrow();
        Process run = new ProcessBuilder(java, "--module-path", modulePath,
                "--add-modules", "dev.ringzero.api,dev.ringzero.pool,dev.ringzero.lookaside",
                "--enable-native-access=dev.ringzero.pool", "-cp", classes.toString(), "Example")
                .redirectErrorStream(true).start();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the example ends within a minute").isTrue();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as("the example's exit status; it printed:%n%s", output).isZero();
        assertThat(output).containsPattern("(?m)^2 allocates, \\d+ missed$").contains("\"Expm\"", "TotalAllocates =          2");
    }

    /** The first ```java block under "## Use it as a library". */
    private static String readmeExample() throws IOException {
        String readme = Files.readString(readme());
        int section = readme.indexOf("\n## Use it as a library\n");
        assertThat(section).as("README.md's 'Use it as a library' section").isPositive();
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find(section)).as("a ```java block in that section").isTrue();
        return block.group(1);
    }

    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("benchmarks"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
    }

    /** This test's class path entries of {@link #MODULES}, one each. */
    private static String modulePath() {
        List<String> entries = new ArrayList<>();
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        for (String module : MODULES) {
            List<String> found = classPath.stream()
                    .filter(e -> isEntryOf(Path.of(e), module)).toList();
            assertThat(found).as("%s on the test's class path %s", module, classPath).isNotEmpty();
            entries.add(found.getFirst());
        }
        return entries.stream().collect(Collectors.joining(File.pathSeparator));
    }

    /** A jar named {@code <module>-<version>.jar}, or the reactor's {@code <module>/target/classes}. */
    private static boolean isEntryOf(Path entry, String module) {
        String name = entry.getFileName().toString();
        return name.startsWith(module + "-") && name.endsWith(".jar")
                || entry.endsWith(Path.of(module, "target", "classes"));
    }
}
