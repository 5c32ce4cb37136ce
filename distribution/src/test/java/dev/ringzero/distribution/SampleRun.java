package dev.ringzero.distribution;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bin/ringzero run} on one of the distribution's samples, as a user runs it — the way
 * {@link RingzeroCommandIT} starts it: JAVA_HOME unset and an older JDK's {@code java} first on PATH, so
 * the launcher must find a JDK 25 by itself; standard input from {@code /dev/null}.
 *
 * @param exitCode the process's exit code
 * @param stdout   its standard output, line by line
 * @param stderr   its standard error, line by line
 */
record SampleRun(int exitCode, List<String> stdout, List<String> stderr) {

    /** A sample driver jar of the distribution: {@code samples/<name>.jar}. */
    static Path sample(String name) {
        Path jar = Distribution.home().resolve("samples/" + name + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the distribution has no " + jar + ": is it listed in src/main/assembly/ringzero.xml?");
        }
        return jar;
    }

    /**
     * Runs {@code bin/ringzero args} in {@code dir}.
     *
     * @param jvmOptions {@code RINGZERO_OPTS} (JVM options for the host), or {@code null} for none
     */
    static SampleRun ringzero(Path dir, String jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Distribution.home().resolve("bin/ringzero").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        env.remove("RINGZERO_JAVA_HOME");
        env.remove("RINGZERO_OPTS");
        if (jvmOptions != null) {
            env.put("RINGZERO_OPTS", jvmOptions);
        }
        olderJdk().ifPresent(jdk -> env.put("PATH", jdk.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin")));
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ringzero " + String.join(" ", args) + " did not finish within 180 s; stdout so far:\n"
                    + Files.readString(out));
        }
        return new SampleRun(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    /** The report's part of standard output: from {@code --- ringzero run: report ---} on. */
    List<String> report() {
        int start = stdout.indexOf("--- ringzero run: report ---");
        if (start < 0) {
            throw new AssertionError("no report in the output:\n" + String.join("\n", stdout));
        }
        return stdout.subList(start, stdout.size());
    }

    /** The first group of the first line of standard output that {@code regex} matches whole. */
    String group(String regex) {
        Pattern p = Pattern.compile(regex);
        for (String line : stdout) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no line matches <" + regex + "> in the output:\n" + String.join("\n", stdout));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
    }

    /** A JDK older than 25 in the system's JDK folder (the default java of our machines is 17). */
    static Optional<Path> olderJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.sorted().filter(d -> Files.isExecutable(d.resolve("bin/java")))
                    .filter(d -> feature(d).filter(v -> v < 25).isPresent()).findFirst();
        }
    }

    private static Optional<Integer> feature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    v = v.startsWith("1.") ? v.substring(2) : v;
                    return Optional.of(Integer.parseInt(v.split("[^0-9]")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a JDK we can read
        }
        return Optional.empty();
    }
}
