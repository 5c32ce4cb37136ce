package dev.ringzero.build.pit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The mutation-score floor (docs/mutation-testing.md): reads PIT's mutations.xml, the mutants the EQUIVALENTS
 * feature left out and the checked-in list of equivalent mutants, prints the score per class, and exits 1 when fewer
 * than FLOOR percent of the mutants not listed as equivalent were detected (killed, timed out, or crashed the test
 * JVM).
 *
 * <pre>java -cp build-tools/pit-equivalents/target/classes dev.ringzero.build.pit.MutationFloor \
 *     MUTATIONS_XML LEFT_OUT EQUIVALENTS_FILE FLOOR_PERCENT</pre>
 */
public final class MutationFloor {

    record Mutant(String clazz, String method, String signature, int line, String description, int index, String status) {
        boolean detected() {
            return switch (status) {
                case "KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR" -> true;
                default -> false; // SURVIVED, NO_COVERAGE; NON_VIABLE is never written to the report
            };
        }

        boolean listedIn(Equivalent e) {
            return e.pinned() ? e.pins(clazz, method, description, index) : e.names(clazz, method, description);
        }
    }

    private MutationFloor() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: MutationFloor MUTATIONS_XML LEFT_OUT EQUIVALENTS_FILE FLOOR_PERCENT");
            System.exit(2);
        }
        Path report = Path.of(args[0]);
        if (!Files.isRegularFile(report)) {
            System.err.println("mutation floor: no PIT report at " + report + " (did PIT run?)");
            System.exit(2);
        }
        List<Mutant> mutants = read(report);
        // a report left by an earlier run with the filter on names mutants this run ran (-Dpitest.equivalents=-EQUIVALENTS)
        List<LeftOut.Mutant> leftOut = LeftOut.read(Path.of(args[1])).stream()
                .filter(l -> mutants.stream().noneMatch(m -> m.index() == l.index() && m.clazz().equals(l.clazz())
                        && m.method().equals(l.method()) && m.description().equals(l.description())))
                .toList();
        Path file = Path.of(args[2]);
        List<Equivalent> equivalents;
        try {
            equivalents = EquivalentsFile.read(file);
        } catch (IllegalArgumentException e) {
            System.err.println("mutation floor: " + e.getMessage());
            System.exit(2);
            return;
        }
        double floor = Double.parseDouble(args[3]);

        Set<String> classes = new TreeSet<>();
        mutants.forEach(m -> classes.add(m.clazz()));
        leftOut.forEach(m -> classes.add(m.clazz()));
        Map<String, int[]> perClass = new TreeMap<>(); // detected, counted, equivalent
        leftOut.forEach(m -> perClass.computeIfAbsent(m.clazz(), k -> new int[3])[2]++);
        List<Mutant> unexplained = new ArrayList<>();
        int detected = 0;
        int counted = 0;
        for (Mutant m : mutants) {
            int[] c = perClass.computeIfAbsent(m.clazz(), k -> new int[3]);
            if (!m.detected() && equivalents.stream().anyMatch(m::listedIn)) {
                c[2]++;
                continue;
            }
            c[1]++;
            counted++;
            if (m.detected()) {
                c[0]++;
                detected++;
            } else {
                unexplained.add(m);
            }
        }
        for (Equivalent e : equivalents) {
            if (classes.contains(e.clazz())) {   // a line about another module's class is that module's business
                warnIfStale(e, mutants, leftOut, file);
            }
        }

        System.out.println("mutation floor: class                                         killed/counted  score  (equivalent)");
        perClass.forEach((k, c) -> System.out.printf("mutation floor: %-45s %5d/%-5d %6.1f %%  (%d)%n",
                k, c[0], c[1], c[1] == 0 ? 100.0 : 100.0 * c[0] / c[1], c[2]));
        for (Mutant m : unexplained) {
            System.out.printf("mutation floor: %s %s.%s line %d (index %d): %s%n",
                    m.status(), m.clazz(), m.method(), m.line(), m.index(), m.description());
        }
        double score = counted == 0 ? 100.0 : 100.0 * detected / counted;
        System.out.printf("mutation floor: %d of %d mutants detected (%.1f %%), %d listed as equivalent (%d of them left out"
                + " before running), floor %.0f %%%n", detected, counted, score, mutants.size() - counted + leftOut.size(),
                leftOut.size(), floor);
        if (score < floor) {
            System.err.printf("mutation floor: FAILED: %.1f %% of the non-equivalent mutants detected, below the floor of %.0f %%;"
                    + " kill the mutants listed above with a test, or list a truly equivalent one in %s with the reason%n",
                    score, floor, file);
            System.exit(1);
        }
    }

    /** A line that names nothing of this run, or only mutants the tests now kill, should go. */
    private static void warnIfStale(Equivalent e, List<Mutant> mutants, List<LeftOut.Mutant> leftOut, Path file) {
        String where = file.getFileName() + " line " + e.lineNumber();
        if (e.pinned()) {
            long overloads = mutants.stream().filter(m -> m.clazz().equals(e.clazz()) && m.method().equals(e.method()))
                    .map(Mutant::signature).distinct().count();
            if (overloads > 1) {
                System.out.printf("mutation floor: WARNING: %s pins indexes in %s.%s, a name %d methods share: an index is"
                        + " one method's, so leave this line unpinned%n", where, e.clazz(), e.method(), overloads);
            }
            for (int index : e.indexes()) {
                boolean found = leftOut.stream().anyMatch(m -> m.index() == index && e.names(m.clazz(), m.method(), m.description()))
                        || mutants.stream().anyMatch(m -> m.index() == index && e.names(m.clazz(), m.method(), m.description()));
                if (!found) {
                    System.out.printf("mutation floor: WARNING: %s pins index %d, which no mutant of this run has (the method"
                            + " changed? run PIT and pin the index its report gives): %s.%s %s%n",
                            where, index, e.clazz(), e.method(), e.description());
                } else if (mutants.stream().anyMatch(m -> m.index() == index && m.detected()
                        && e.names(m.clazz(), m.method(), m.description()))) {
                    // only when the filter was off (-Dpitest.equivalents=-EQUIVALENTS): the pinned mutant ran
                    System.out.printf("mutation floor: WARNING: %s pins index %d, whose mutant the tests kill now (unpin it):"
                            + " %s.%s %s%n", where, index, e.clazz(), e.method(), e.description());
                }
            }
            return;
        }
        List<Mutant> named = mutants.stream().filter(m -> m.listedIn(e)).toList();
        if (named.isEmpty()) {
            System.out.printf("mutation floor: WARNING: %s matches no mutant of this run (stale? remove it): %s.%s %s%n",
                    where, e.clazz(), e.method(), e.description());
        } else if (named.stream().allMatch(Mutant::detected)) {
            System.out.printf("mutation floor: WARNING: %s: every mutant it names is killed now (remove it): %s.%s %s%n",
                    where, e.clazz(), e.method(), e.description());
        }
    }

    private static List<Mutant> read(Path report) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        NodeList nodes = doc.getElementsByTagName("mutation");
        List<Mutant> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            out.add(new Mutant(text(e, "mutatedClass"), text(e, "mutatedMethod"), text(e, "methodDescription"),
                    Integer.parseInt(text(e, "lineNumber")),
                    text(e, "description"), Integer.parseInt(text(e, "index")), e.getAttribute("status")));
        }
        return out;
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
