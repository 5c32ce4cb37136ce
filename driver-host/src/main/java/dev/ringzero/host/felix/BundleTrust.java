package dev.ringzero.host.felix;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.Bundle;
import dev.ringzero.host.launch.HostSettings;

/**
 * How far the host trusts a bundle, decided by where it was installed from (docs/decisions/0001): the system
 * bundle and the bundles of the trusted folders ({@code system/} with {@code system/shell/} and
 * {@code system/deploy/}) are the platform's; every other bundle — a driver from {@code drivers/} or
 * {@code ringzero run}, or anything a driver or a user installs from elsewhere — is held to the driver contract
 * ({@link DriverContract}) and sees no service in the OSGi registry ({@link ExecutiveHiding}). A bundle of
 * {@code allocators/} (issue 21) is neither: it is held to the allocator contract ({@link AllocatorContract}).
 */
final class BundleTrust {

    private static final String REFERENCE = "reference:";

    private final List<Path> trustedFolders;
    /** Issue 21: {@code allocators/}, trust level 2b ({@link AllocatorContract}); null: none. */
    private final Path allocatorsFolder;

    private BundleTrust(List<Path> trustedFolders, Path allocatorsFolder) {
        this.trustedFolders = trustedFolders.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.allocatorsFolder = allocatorsFolder == null ? null : allocatorsFolder.toAbsolutePath().normalize();
    }

    /** The trusted folders of a host's layout. */
    static BundleTrust of(HostSettings settings) {
        return new BundleTrust(List.of(settings.systemDir()), AllocatorBundles.folder(settings));   // issue 21: allocators/
    }

    /** Issue 21: whether {@code bundle} was installed from {@code allocators/} (trust level 2b, {@link AllocatorContract}). */
    boolean isAllocatorLevel(Bundle bundle) {
        Path file = bundle == null || bundle.getBundleId() == 0 ? null : fileOf(bundle.getLocation());
        return file != null && allocatorsFolder != null && allocatorsFolder.equals(file.getParent());
    }

    /** Whether {@code bundle} is held to the driver contract: it is not the system bundle and not from a trusted folder. */
    boolean isDriverLevel(Bundle bundle) {
        if (bundle == null) {
            return false;
        }
        if (bundle.getBundleId() == 0) {
            return false;
        }
        Path file = fileOf(bundle.getLocation());
        return file == null || (trustedFolders.stream().noneMatch(file::startsWith) && !isAllocatorLevel(bundle));
    }

    /** The file a location names ({@code reference:file:/…}, {@code file:/…}), or {@code null} for any other location. */
    static Path fileOf(String location) {
        if (location == null) {
            return null;
        }
        String l = location.startsWith(REFERENCE) ? location.substring(REFERENCE.length()) : location;
        try {
            URI uri = new URI(l);
            return "file".equals(uri.getScheme()) ? Path.of(uri).toAbsolutePath().normalize() : null;
        } catch (Exception notAFile) {
            return null;
        }
    }
}
