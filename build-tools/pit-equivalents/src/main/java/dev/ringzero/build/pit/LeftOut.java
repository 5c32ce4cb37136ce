package dev.ringzero.build.pit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mutants the filter left out in one PIT run, as a file of {@code class | method | line | description | index}
 * lines the floor reads. PIT may create the filter more than once in a run (its pre-scan, then the analysis), so the
 * mutants are kept per report file for the life of Maven's JVM and the whole file is written anew each time.
 */
final class LeftOut {

    record Mutant(String clazz, String method, int line, String description, int index) implements Comparable<Mutant> {

        @Override
        public int compareTo(Mutant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return clazz + " | " + method + " | " + line + " | " + description + " | " + index;
        }

        static Mutant parse(String line) {
            String[] f = line.split(" \\| ", 5);
            if (f.length != 5) {
                throw new IllegalArgumentException("not a left-out mutant: " + line);
            }
            return new Mutant(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]));
        }
    }

    private static final Map<Path, LeftOut> BY_REPORT = new ConcurrentHashMap<>();

    private final Path report;
    private final Set<Mutant> mutants = new TreeSet<>();

    private LeftOut(Path report) {
        this.report = report;
    }

    static LeftOut at(Path report) {
        return BY_REPORT.computeIfAbsent(report.toAbsolutePath().normalize(), LeftOut::new);
    }

    synchronized void add(Mutant m) {
        mutants.add(m);
    }

    synchronized void write() {
        List<String> lines = new ArrayList<>();
        mutants.forEach(m -> lines.add(m.toString()));
        try {
            Files.createDirectories(report.getParent());
            Files.write(report, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + report, e);
        }
    }

    /** The mutants a report lists; none when there is no report (the filter was off). */
    static List<Mutant> read(Path report) throws IOException {
        if (!Files.isRegularFile(report)) {
            return List.of();
        }
        return Files.readAllLines(report, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(Mutant::parse).toList();
    }
}
