package dev.ringzero.host.manifest;

import dev.ringzero.api.Driver;
import dev.ringzero.host.debugger.KernelDebugger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform API's packages as the system bundle exports them
 * ({@code org.osgi.framework.system.packages.extra}).
 *
 * <p>The API jar sits on the launcher's module path and is never installed as a bundle: the same
 * classes twice would give {@code ClassCastException}s. The packages and their versions come from the
 * {@code Export-Package} header bnd wrote into that jar, so they stay what bnd computed from the
 * {@code @Version} annotations.
 */
public final class ApiPackages {

    /** Used when the API classes come from a folder with no manifest (an IDE running from target/classes). */
    static final String FALLBACK = "dev.ringzero.api;version=\"1.4.0\",dev.ringzero.api.memory;version=\"2.0.0\","
            + "dev.ringzero.api.lookaside;version=\"2.0.0\",dev.ringzero.spi.memory;version=\"1.0.0\","
            + "dev.ringzero.spi.lookaside;version=\"1.1.0\",dev.ringzero.library;version=\"1.0.0\"";

    private static final Pattern VERSION = Pattern.compile(";\\s*version\\s*=\\s*\"?([0-9][0-9A-Za-z.\\-_]*)\"?");

    private ApiPackages() {
    }

    /**
     * The value for {@code org.osgi.framework.system.packages.extra}: the API's packages, and the host's
     * debugger service package for the {@code kd} shell bundle ({@link KernelDebugger#PACKAGE}; drivers may not
     * wire to it).
     */
    public static String systemPackagesExtra() {
        Manifest manifest = apiManifest();
        String exports = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
        return (exports == null ? FALLBACK : fromExportPackage(exports))
                + "," + KernelDebugger.PACKAGE + ";version=\"" + KernelDebugger.VERSION + "\"";
    }

    /**
     * Keeps each exported package with its version and drops the directives ({@code uses:=}): the
     * system bundle needs names and versions only.
     */
    static String fromExportPackage(String exportPackage) {
        List<String> out = new ArrayList<>();
        for (String clause : splitClauses(exportPackage)) {
            int semicolon = clause.indexOf(';');
            String pkg = (semicolon < 0 ? clause : clause.substring(0, semicolon)).strip();
            if (pkg.isEmpty()) {
                continue;
            }
            Matcher v = VERSION.matcher(semicolon < 0 ? "" : clause.substring(semicolon));
            out.add(v.find() ? pkg + ";version=\"" + v.group(1) + "\"" : pkg);
        }
        return String.join(",", out);
    }

    /** Splits an OSGi header at the commas that are not inside double quotes. */
    static List<String> splitClauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        clauses.add(current.toString());
        return clauses;
    }

    private static Manifest apiManifest() {
        CodeSource source = Driver.class.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null) {
            return null;
        }
        try {
            Path path = Path.of(location.toURI());
            if (Files.isDirectory(path)) {
                Path mf = path.resolve("META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(mf)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(mf)) {
                    return new Manifest(in);
                }
            }
            try (JarFile jar = new JarFile(path.toFile())) {
                return jar.getManifest();
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
