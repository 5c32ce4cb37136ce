package dev.ringzero.api.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's packages against the previous release's ({@code api.baseline}, see docs/releasing.md): this build
 * fails when an exported package changed incompatibly without a major version bump, or compatibly without a
 * minor one.
 */
class ApiBaselineIT {

    @TempDir
    Path tmp;

    static Path bundle() {
        return Path.of(System.getProperty("api.bundle", "target/none.jar"));
    }

    static Path baseline() {
        return Path.of(System.getProperty("api.baseline", "baseline/none.jar"));
    }

    @Test
    void everyExportedPackageVersionShouldMatchItsChangeSinceTheBaseline() throws Exception {
        List<ApiBaseline.Violation> violations = ApiBaseline.check(bundle(), baseline());
        assertThat(violations)
                .as("bump the @Version in the package's package-info.java to the suggested version (major for an"
                        + " incompatible change); the baseline is %s", baseline())
                .isEmpty();
    }

    /** What the check says of a build in which one API method was removed and no version was bumped. */
    @Test
    void aRemovedMethodWithoutAMajorBumpShouldFailTheCheck() throws Exception {
        Path broken = tmp.resolve("platform-api-without-a-method.jar");
        String removed = withoutAMethod(bundle(), "dev/ringzero/api/memory/ExecutivePool.class", broken);

        List<ApiBaseline.Violation> violations = ApiBaseline.check(broken, baseline());

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.packageName()).isEqualTo("dev.ringzero.api.memory");
            assertThat(v.suggestedVersion()).as("a removed method is a major change").startsWith((major(v.version()) + 1) + ".0.0");
            assertThat(v.toString()).contains("REMOVED method " + removed, "dev.ringzero.api.memory.ExecutivePool");
        });
    }

    @Test
    void theBuiltBundleAgainstItselfShouldPass() throws Exception {
        assertThat(ApiBaseline.check(bundle(), bundle())).isEmpty();
    }

    private static int major(String version) {
        return Integer.parseInt(version.split("\\.")[0]);
    }

    /**
     * A copy of {@code jar}, manifest and all, whose class {@code entry} lacks its first abstract method: the bundle
     * a build makes from the source with that method deleted. Returns the method as bnd names it, {@code name(types)}.
     */
    private static String withoutAMethod(Path jar, String entry, Path out) throws IOException {
        ClassFile cf = ClassFile.of();
        String removed = null;
        try (JarFile in = new JarFile(jar.toFile());
             JarOutputStream os = new JarOutputStream(Files.newOutputStream(out))) {
            for (JarEntry e : in.stream().toList()) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals(entry)) {
                    ClassModel model = cf.parse(bytes);
                    MethodModel victim = model.methods().stream()
                            .filter(m -> m.flags().has(java.lang.reflect.AccessFlag.ABSTRACT))
                            .findFirst().orElseThrow(() -> new AssertionError(entry + " has no abstract method"));
                    removed = victim.methodName().stringValue() + "(";
                    bytes = cf.transformClass(model, (builder, element) -> {
                        if (element != victim) {
                            builder.with(element);
                        }
                    });
                }
                os.putNextEntry(new JarEntry(e.getName()));
                os.write(bytes);
                os.closeEntry();
            }
        }
        assertThat(removed).as("%s is in %s", entry, jar).isNotNull();
        return removed;
    }
}
