package dev.ringzero.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.RingzeroDriver;
import dev.ringzero.host.manifest.DriverJar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}'s jars checked up front: one line for every bad one, duplicates included. */
class RunJarsTest {

    @TempDir
    Path dir;

    /** A jar with a manifest: a bundle when {@code bsn} is given, a driver bundle when {@code entry} is too. */
    static Path jar(Path file, String bsn, String entry, String name) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            a.putValue("Bundle-ManifestVersion", "2");
            a.putValue("Bundle-SymbolicName", bsn);
        }
        if (entry != null) {
            a.putValue(RingzeroDriver.HEADER, entry);
        }
        if (name != null) {
            a.putValue(RingzeroDriver.NAME_HEADER, name);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream zip = new JarOutputStream(out, m)) {
            zip.flush();
        }
        return file;
    }

    @Test
    void goodJarsShouldPassInTheirOrder() throws IOException {
        Path a = jar(dir.resolve("a.jar"), "test.a", "x.A", null);
        Path b = jar(dir.resolve("b.jar"), "test.b", "x.B", null);

        RunJars checked = RunJars.check(List.of(b, a));

        assertThat(checked.ok()).isTrue();
        assertThat(checked.jars()).extracting(DriverJar::driverName).containsExactly("B", "A");
    }

    @Test
    void everyBadJarShouldGetOneLineAndNoneShouldPass() throws IOException {
        Path empty = Files.write(dir.resolve("empty.jar"), new byte[0]);
        Path random = Files.write(dir.resolve("random.jar"), new byte[] {0x13, 0x37, 0x42, 0x00, 0x7F, 0x01, 0x02, 0x03});
        Path library = jar(dir.resolve("library.jar"), "test.library", null, null);
        Path plain = jar(dir.resolve("plain.jar"), null, null, null);
        Path good = jar(dir.resolve("good.jar"), "test.good", "x.Good", null);
        Path sameName = jar(dir.resolve("same-name.jar"), "test.other", "y.Other", "Good");

        RunJars checked = RunJars.check(List.of(empty, random, library, plain, good, good, dir.resolve("./good.jar"), sameName));

        assertThat(checked.ok()).isFalse();
        assertThat(checked.jars()).isEmpty();
        assertThat(checked.problems()).hasSize(7);
        assertThat(checked.problems().get(0)).isEqualTo("corrupt jar: " + empty + " (zip file is empty)");
        assertThat(checked.problems().get(1)).startsWith("corrupt jar: " + random + " (");
        assertThat(checked.problems().get(2)).isEqualTo("not a driver bundle: " + library + " (its manifest has no Ringzero-Driver header)");
        assertThat(checked.problems().get(3)).isEqualTo("not a driver bundle: " + plain
                + " (its manifest has no Bundle-SymbolicName: not an OSGi bundle)");
        assertThat(checked.problems().get(4)).isEqualTo(good + " is named twice; a driver is loaded once");
        assertThat(checked.problems().get(5)).isEqualTo(dir.resolve("./good.jar") + " is the same file as " + good + "; a driver is loaded once");
        assertThat(checked.problems().get(6)).isEqualTo(sameName + " holds the driver Good, as " + good
                + " does; a driver name is loaded once (STATUS_IMAGE_ALREADY_LOADED)");
    }
}
