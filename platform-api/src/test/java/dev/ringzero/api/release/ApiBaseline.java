package dev.ringzero.api.release;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Diff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * bnd's baselining of the API bundle against the previous release's (the OSGi semantic versioning rules, as
 * bnd-baseline-maven-plugin applies them): for every exported package, the change since the baseline must be
 * matched by its {@code @Version} in {@code package-info.java} — a removed or changed method of a provider or
 * consumer type needs a major bump, an added method of a {@code @ProviderType} a minor one.
 */
final class ApiBaseline {

    private ApiBaseline() {
    }

    /** One exported package whose version does not match its change. */
    record Violation(String packageName, String version, String baselineVersion, String suggestedVersion,
                     List<String> changes) {

        @Override
        public String toString() {
            return packageName + " " + version + ": changed since the baseline's " + baselineVersion
                    + " so that it needs version " + suggestedVersion + " (" + String.join("; ", changes) + ")";
        }
    }

    /** The packages of {@code bundle} whose versions do not fit their change since {@code baseline}; empty when all do. */
    static List<Violation> check(Path bundle, Path baseline) throws Exception {
        if (!Files.isRegularFile(bundle)) {
            throw new IllegalArgumentException("no bundle to baseline: " + bundle);
        }
        if (!Files.isRegularFile(baseline)) {
            throw new IllegalArgumentException("no baseline jar: " + baseline);
        }
        try (Processor reporter = new Processor();
             Jar newer = new Jar(bundle.toFile());
             Jar older = new Jar(baseline.toFile())) {
            List<Violation> violations = new ArrayList<>();
            for (Baseline.Info info : new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, null)) {
                if (info.mismatch) {
                    violations.add(new Violation(info.packageName, String.valueOf(info.newerVersion),
                            String.valueOf(info.olderVersion), String.valueOf(info.suggestedVersion),
                            changes(info.packageDiff)));
                }
            }
            if (!reporter.isOk()) {
                throw new IllegalStateException("bnd could not baseline " + bundle + ": " + reporter.getErrors());
            }
            violations.sort(Comparator.comparing(Violation::packageName));
            return violations;
        }
    }

    /** The innermost changes under a package's diff: "REMOVED method allocate(int) in ...ExecutivePool". */
    private static List<String> changes(Diff diff) {
        List<String> out = new ArrayList<>();
        collect(diff, null, out);
        return out.isEmpty() ? List.of(diff.getDelta() + " " + diff.getName()) : out;
    }

    private static void collect(Diff diff, Diff parent, List<String> out) {
        Delta delta = diff.getDelta();
        if (delta == Delta.UNCHANGED || delta == Delta.IGNORED) {
            return;
        }
        if (delta == Delta.REMOVED || delta == Delta.ADDED || diff.getChildren().isEmpty()) {
            out.add(delta + " " + diff.getType().toString().toLowerCase() + " " + diff.getName()
                    + (parent == null ? "" : " in " + parent.getName()));
            return;
        }
        for (Diff child : diff.getChildren()) {
            collect(child, diff, out);
        }
    }
}
