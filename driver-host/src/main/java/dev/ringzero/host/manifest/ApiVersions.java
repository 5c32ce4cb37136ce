package dev.ringzero.host.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * The versions at which the host exports the platform API's packages, and the one line refusing a driver whose
 * {@code Import-Package} ranges exclude them — a driver built against another major version of the API.
 *
 * <p>Why a line of our own: Felix would refuse such a bundle too, at resolve time, with a requirement dump
 * ({@code Unable to resolve ... missing requirement [...] osgi.wiring.package; (&(osgi.wiring.package=...)...)}).
 * Its author needs three facts instead: which API they built against, which one the host provides, and that the
 * fix is a rebuild (API 2 removed the provider SPI from the contract's packages: {@value #MIGRATION_NOTE}).
 *
 * <p>Only the ranges are compared: whether the bundle's classes still link against the host's API is the
 * resolver's and the JVM's business, never checked here.
 */
final class ApiVersions {

    /** The driver authors' migration note, named in the refusal. */
    static final String MIGRATION_NOTE = "docs/migrating-to-api-2.md";

    /** A clause's {@code version} attribute, quoted or not: {@code ;version="[1.3,2)"}, {@code ;version=1.3}. */
    private static final Pattern VERSION = Pattern.compile(";\\s*version\\s*=\\s*(?:\"([^\"]*)\"|([^;\"]*))");

    private final Map<String, Version> provided;

    ApiVersions(Map<String, Version> provided) {
        this.provided = Map.copyOf(provided);
    }

    /** The host's own: the packages and versions it puts in {@code org.osgi.framework.system.packages.extra}. */
    static ApiVersions provided() {
        return Host.VERSIONS;
    }

    /** From an export list, {@code dev.ringzero.api;version="1.4.0",dev.ringzero.api.memory;version="2.0.0"}. */
    static ApiVersions of(String exports) {
        Map<String, Version> versions = new LinkedHashMap<>();
        for (String clause : ApiPackages.splitClauses(exports)) {
            String v = version(clause);
            if (v == null) {
                continue;
            }
            try {
                Version version = Version.parseVersion(v);
                DriverContract.packagesOf(clause).forEach(pkg -> versions.put(pkg, version));
            } catch (IllegalArgumentException malformed) {
                // not one of bnd's versions: that package is left to the resolver
            }
        }
        return new ApiVersions(versions);
    }

    /**
     * Why {@code manifest}'s imports of the API cannot wire to the host's, as the end of a sentence
     * ({@code "was built against Ringzero API 1 and must be rebuilt against API 2: ..."}), or empty when every
     * imported API package's range holds the version the host provides (a range left out holds every version).
     */
    Optional<String> mismatch(Attributes manifest) {
        String imports = manifest.getValue("Import-Package");
        if (imports == null || imports.isBlank()) {
            return Optional.empty();
        }
        List<String> wanted = new ArrayList<>();
        List<String> have = new ArrayList<>();
        boolean needsNewer = false;
        int builtAgainst = Integer.MAX_VALUE;
        int hostMajor = 0;
        for (String clause : ApiPackages.splitClauses(imports)) {
            String written = version(clause);
            VersionRange range = range(written);
            for (String pkg : DriverContract.packagesOf(clause)) {
                Version host = provided.get(pkg);
                if (host == null || range == null || range.includes(host)) {
                    continue;
                }
                wanted.add(pkg + " " + written);
                have.add(pkg + " " + host);
                // outside the range: below its floor (the driver wants a newer API), else above its ceiling (older)
                needsNewer |= range.getLeft().compareTo(host) >= 0;
                builtAgainst = Math.min(builtAgainst, range.getLeft().getMajor());
                hostMajor = Math.max(hostMajor, host.getMajor());
            }
        }
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        String facts = "it imports " + String.join(", ", wanted) + "; the host provides " + String.join(", ", have);
        if (needsNewer) {
            return Optional.of("needs a newer Ringzero API than this host's: " + facts);
        }
        if (builtAgainst < hostMajor) {
            return Optional.of("was built against Ringzero API " + builtAgainst + " and must be rebuilt against API "
                    + hostMajor + ": " + facts + " (see " + MIGRATION_NOTE + ")");
        }
        return Optional.of("was built against an older Ringzero API and must be rebuilt against this host's: " + facts);
    }

    private static String version(String clause) {
        Matcher m = VERSION.matcher(clause);
        if (!m.find()) {
            return null;
        }
        return (m.group(1) != null ? m.group(1) : m.group(2)).strip();
    }

    /** The range as OSGi reads it; none for a missing or malformed one (the resolver reports a malformed one). */
    private static VersionRange range(String written) {
        if (written == null) {
            return null;
        }
        try {
            return VersionRange.valueOf(written);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** Read once, when the first driver is checked: the API jar's manifest does not change under a running host. */
    private static final class Host {
        static final ApiVersions VERSIONS = of(ApiPackages.systemPackagesExtra());
    }
}
