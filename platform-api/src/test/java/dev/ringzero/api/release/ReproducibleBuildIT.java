package dev.ringzero.api.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproducible builds: the API's jars built a second time from the same sources in another folder
 * ({@link SecondBuild}) are byte for byte the jars of this build ({@code project.build.outputTimestamp} in the root
 * pom fixes every entry's time). Both builds run Maven on the same JVM, as a release build must
 * (docs/releasing.md).
 */
class ReproducibleBuildIT {

    @TempDir
    Path tmp;

    @Test
    void aSecondBuildOfTheSameSourcesShouldMakeTheSameJars() throws Exception {
        SecondBuild second = SecondBuild.copyInto(tmp.resolve("second build"));
        second.packageIt();

        for (String jar : List.of(System.getProperty("api.jar"), System.getProperty("api.sources.jar"))) {
            Path first = SecondBuild.MODULE.resolve("target").resolve(jar);
            Path again = second.target(jar);
            if (!sha256(again).equals(sha256(first))) {
                // kept for a look: unzip -Z -v, or diffoscope
                Path kept = Files.createDirectories(SecondBuild.MODULE.resolve("target/second-build"));
                Files.copy(again, kept.resolve(jar), StandardCopyOption.REPLACE_EXISTING);
                throw new AssertionError(jar + " built twice differs; the second is in " + kept);
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
