package dev.ringzero.concurrency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.TestGrading;

/**
 * Runs jcstress as its own {@code Main} does, then reads its results back and exits with status 1 when any
 * test saw a forbidden outcome, ended in an error (a crash, a timeout, an exception in an actor) or when no
 * test ran at all — jcstress itself exits 0 whatever it found, so a build could not fail on it otherwise.
 *
 * <p>Arguments are jcstress's ({@code -m quick -t REGEX -c 2 -r DIR ...}), and {@code -jvmArgs all}, which
 * gives jcstress no flags of ours so that it detects every VM configuration itself (the build passes one
 * configuration; see concurrency-tests/pom.xml). Test VMs are forked from this JVM's {@code java.home}: start it
 * with the JDK the tests must run on.
 */
public final class JcstressGate {

    private JcstressGate() {
    }

    /** The value of {@code -jvmArgs} that means: no flags of ours, every configuration jcstress detects. */
    static final String EVERY_CONFIGURATION = "all";

    public static void main(String[] args) throws Exception {
        Options options = new Options(withoutEveryConfiguration(args));
        if (!options.parse()) {
            System.exit(2);
        }
        Path resultFile = Path.of(options.getResultFile());
        Files.deleteIfExists(resultFile);
        new JCStress(options).run();
        System.exit(verdict(resultFile));
    }

    /** Drops {@code -jvmArgs all}: without {@code -jvmArgs} jcstress detects the configurations itself. */
    static String[] withoutEveryConfiguration(String[] args) {
        List<String> kept = new ArrayList<>(List.of(args));
        for (int i = 0; i + 1 < kept.size(); i++) {
            if (kept.get(i).equals("-jvmArgs") && kept.get(i + 1).equals(EVERY_CONFIGURATION)) {
                kept.subList(i, i + 2).clear();
                i--;
            }
        }
        return kept.toArray(String[]::new);
    }

    private static int verdict(Path resultFile) throws IOException, ClassNotFoundException {
        if (!Files.isRegularFile(resultFile)) {
            System.err.println("jcstress gate: no results at " + resultFile + ": nothing ran");
            return 1;
        }
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(resultFile.toString(), collector);
        reader.dump();
        reader.close();
        Collection<TestResult> results = collector.getTestResults();
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (TestResult r : results) {
            TestGrading g = r.grading();
            if (r.status() != Status.NORMAL) {
                failures.add(r.getName() + ": " + r.status() + " " + r.getMessages());
            } else if (!g.isPassed) {
                failures.add(r.getName() + ": forbidden outcome " + g.failureMessages);
            } else {
                passed++;
            }
        }
        System.out.printf("jcstress gate: %d passed, %d failed%n", passed, failures.size());
        failures.forEach(f -> System.out.println("  FAILED " + f));
        if (results.isEmpty()) {
            System.err.println("jcstress gate: no test ran (filter, or every test needs more CPUs than given)");
            return 1;
        }
        return failures.isEmpty() ? 0 : 1;
    }
}
