package dev.ringzero.host.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.ringzero.host.launch.HostException;

class DriverJarTest {

    @TempDir
    Path dir;

    private Path jar(String name, String... headers) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            m.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new ZipEntry("x/Y.class"));
            jar.closeEntry();
        }
        return p;
    }

    @Test
    void shouldReadTheDriverHeaders() throws Exception {
        Path p = jar("d.jar", "Bundle-SymbolicName", "dev.example.d;singleton:=true",
                "Ringzero-Driver", " dev.example.d.MyDriver ", "Ringzero-Driver-Name", "MyDriver");
        assertThat(DriverJar.inspect(p)).isEqualTo(new DriverJar(p, "dev.example.d", "dev.example.d.MyDriver", "MyDriver"));
    }

    @Test
    void shouldNameTheDriverAfterItsEntryClassWhenTheNameHeaderIsMissing() throws Exception {
        Path p = jar("d.jar", "Bundle-SymbolicName", "d", "Ringzero-Driver", "dev.example.d.Sample");
        assertThat(DriverJar.inspect(p).driverName()).isEqualTo("Sample");
    }

    @Test
    void shouldRejectAMissingFile() {
        assertThatThrownBy(() -> DriverJar.inspect(dir.resolve("nope.jar")))
                .isInstanceOf(HostException.class).hasMessage("no such file: " + dir.resolve("nope.jar"))
                .extracting(e -> ((HostException) e).kind()).isEqualTo(HostException.Kind.USAGE);
    }

    @Test
    void shouldRejectAFolder() {
        assertThatThrownBy(() -> DriverJar.inspect(dir)).hasMessage("not a jar file: " + dir + " (not a regular file)");
    }

    @Test
    void shouldRejectACorruptJar() throws IOException {
        Path p = Files.write(dir.resolve("c.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        assertThatThrownBy(() -> DriverJar.inspect(p)).hasMessageStartingWith("corrupt jar: " + p + " (");
    }

    @Test
    void shouldRejectAJarWithoutManifest() throws IOException {
        Path p = dir.resolve("plain.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p))) {
            zip.putNextEntry(new ZipEntry("a.txt"));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> DriverJar.inspect(p)).hasMessage("not a driver bundle: " + p + " (it has no META-INF/MANIFEST.MF)");
    }

    @Test
    void shouldRejectAJarThatIsNoBundle() throws IOException {
        Path p = jar("lib.jar", "Ringzero-Driver", "x.Y");
        assertThatThrownBy(() -> DriverJar.inspect(p)).hasMessageContaining("no Bundle-SymbolicName");
    }

    @Test
    void shouldRejectABundleThatIsNoDriver() throws IOException {
        Path p = jar("b.jar", "Bundle-SymbolicName", "b");
        assertThatThrownBy(() -> DriverJar.inspect(p))
                .hasMessage("not a driver bundle: " + p + " (its manifest has no Ringzero-Driver header)");
    }
}
