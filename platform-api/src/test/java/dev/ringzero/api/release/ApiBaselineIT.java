package dev.ringzero.api.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * A build of the API's sources with one method deleted ({@code DriverObject.DriverSize}, which no code
     * of the API itself calls) and no version bumped: the check fails it, naming the package, the version it needs
     * and the method.
     */
    @Test
    void aBuildWithoutAnApiMethodShouldFailTheCheck() throws Exception {
        SecondBuild build = SecondBuild.copyInto(tmp.resolve("api without a method"));
        Path source = build.moduleFile("src/main/java/dev/ringzero/api/DriverObject.java");
        String removed = "    int DriverSize();\n";
        String text = Files.readString(source);
        assertThat(text).as("the method the test removes").contains(removed);
        Files.writeString(source, text.replace(removed, ""));
        build.packageIt();

        List<ApiBaseline.Violation> violations = ApiBaseline.check(build.target(System.getProperty("api.jar")), baseline());

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.packageName()).isEqualTo("dev.ringzero.api");
            assertThat(v.suggestedVersion()).as("a removed method is a major change")
                    .isEqualTo((major(v.version()) + 1) + ".0.0");
            assertThat(v.toString()).contains("REMOVED method DriverSize(", "dev.ringzero.api.DriverObject");
        });
    }

    @Test
    void theBuiltBundleAgainstItselfShouldPass() throws Exception {
        assertThat(ApiBaseline.check(bundle(), bundle())).isEmpty();
    }

    private static int major(String version) {
        return Integer.parseInt(version.split("\\.")[0]);
    }
}
