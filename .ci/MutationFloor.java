import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The mutation-score floor (docs/mutation-testing.md): reads PIT's mutations.xml and the checked-in list of
 * equivalent mutants, prints the score per class, and exits 1 when fewer than FLOOR percent of the mutants not
 * listed as equivalent were detected (killed, timed out, or crashed the test JVM).
 *
 * <pre>java .ci/MutationFloor.java MUTATIONS_XML EQUIVALENTS_FILE FLOOR_PERCENT</pre>
 *
 * An equivalents line is {@code class | method | PIT's description | why no test can tell}; it covers every
 * undetected mutant of that description in that method (line numbers are left out so that edits elsewhere in the
 * class do not break it). Lines starting with # and blank lines are ignored.
 */
public final class MutationFloor {

    record Mutant(String clazz, String method, int line, String description, String status) {
        boolean detected() {
            return switch (status) {
                case "KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR" -> true;
                default -> false; // SURVIVED, NO_COVERAGE, NON_VIABLE is never written to the report
            };
        }
    }

    record Equivalent(String clazz, String method, String description, String reason, int lineNumber) {
        boolean covers(Mutant m) {
            return m.clazz().equals(clazz) && m.method().equals(method) && m.description().equals(description);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java .ci/MutationFloor.java MUTATIONS_XML EQUIVALENTS_FILE FLOOR_PERCENT");
            System.exit(2);
        }
        Path report = Path.of(args[0]);
        if (!Files.isRegularFile(report)) {
            System.err.println("mutation floor: no PIT report at " + report + " (did PIT run?)");
            System.exit(2);
        }
        List<Mutant> mutants = read(report);
        List<Equivalent> equivalents = equivalents(Path.of(args[1]));
        double floor = Double.parseDouble(args[2]);

        Set<String> classes = new java.util.TreeSet<>();
        mutants.forEach(m -> classes.add(m.clazz()));
        Map<String, int[]> perClass = new TreeMap<>(); // detected, counted, equivalent
        List<Mutant> unexplained = new ArrayList<>();
        int detected = 0;
        int counted = 0;
        for (Mutant m : mutants) {
            int[] c = perClass.computeIfAbsent(m.clazz(), k -> new int[3]);
            boolean equivalent = !m.detected() && equivalents.stream().anyMatch(e -> e.covers(m));
            if (equivalent) {
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
            if (!classes.contains(e.clazz())) {
                continue; // another module's class
            }
            if (mutants.stream().noneMatch(e::covers)) {
                System.out.printf("mutation floor: WARNING: %s line %d matches no mutant of this run (stale? remove it): %s.%s %s%n",
                        Path.of(args[1]).getFileName(), e.lineNumber(), e.clazz(), e.method(), e.description());
            } else if (mutants.stream().filter(e::covers).allMatch(Mutant::detected)) {
                System.out.printf("mutation floor: WARNING: %s line %d: every mutant it names is killed now (remove it): %s.%s %s%n",
                        Path.of(args[1]).getFileName(), e.lineNumber(), e.clazz(), e.method(), e.description());
            }
        }

        System.out.println("mutation floor: class                                         killed/counted  score  (equivalent)");
        perClass.forEach((k, c) -> System.out.printf("mutation floor: %-45s %5d/%-5d %6.1f %%  (%d)%n",
                k, c[0], c[1], c[1] == 0 ? 100.0 : 100.0 * c[0] / c[1], c[2]));
        for (Mutant m : unexplained) {
            System.out.printf("mutation floor: %s %s.%s line %d: %s%n", m.status(), m.clazz(), m.method(), m.line(), m.description());
        }
        double score = counted == 0 ? 100.0 : 100.0 * detected / counted;
        System.out.printf("mutation floor: %d of %d mutants detected (%.1f %%), %d listed as equivalent, floor %.0f %%%n",
                detected, counted, score, mutants.size() - counted, floor);
        if (score < floor) {
            System.err.printf("mutation floor: FAILED: %.1f %% of the non-equivalent mutants detected, below the floor of %.0f %%;"
                    + " kill the mutants listed above with a test, or list a truly equivalent one in %s with the reason%n",
                    score, floor, args[1]);
            System.exit(1);
        }
    }

    private static List<Mutant> read(Path report) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        NodeList nodes = doc.getElementsByTagName("mutation");
        List<Mutant> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            out.add(new Mutant(text(e, "mutatedClass"), text(e, "mutatedMethod"), Integer.parseInt(text(e, "lineNumber")),
                    text(e, "description"), e.getAttribute("status")));
        }
        return out;
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    private static List<Equivalent> equivalents(Path file) throws IOException {
        List<Equivalent> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s*\\|\\s*", 4);
            if (f.length != 4 || f[3].isBlank()) {
                System.err.printf("mutation floor: %s line %d: expected 'class | method | description | reason', got: %s%n",
                        file, i + 1, line);
                System.exit(2);
            }
            out.add(new Equivalent(f[0], f[1], f[2], f[3], i + 1));
        }
        return out;
    }
}
