package dev.ringzero.host.felix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.host.launch.HostSettings;
import org.junit.jupiter.api.Test;

/** Moved from DriverContractTest when the contract left the OSGi package (issue 17): BundleTrust stays in felix. */
class BundleTrustTest {

    @Test
    void bundlesShouldBeTrustedByTheFolderTheyCameFrom() {
        java.nio.file.Path home = java.nio.file.Path.of("/opt/ringzero");
        BundleTrust trust = BundleTrust.of(HostSettings.forHome(home));
        assertThat(BundleTrust.fileOf("reference:file:/opt/ringzero/system/shell/gogo.jar"))
                .isEqualTo(java.nio.file.Path.of("/opt/ringzero/system/shell/gogo.jar"));
        assertThat(BundleTrust.fileOf("http://example.com/x.jar")).isNull();
        assertThat(trust.isDriverLevel(bundle(0, "System Bundle"))).isFalse();
        assertThat(trust.isDriverLevel(bundle(3, "reference:file:/opt/ringzero/system/org.apache.felix.scr-2.2.18.jar"))).isFalse();
        assertThat(trust.isDriverLevel(bundle(4, "reference:file:/opt/ringzero/system/shell/jline-3.21.0.jar"))).isFalse();
        assertThat(trust.isDriverLevel(bundle(9, "reference:file:/opt/ringzero/drivers/good.jar"))).isTrue();
        assertThat(trust.isDriverLevel(bundle(10, "reference:file:/opt/ringzero/system/../drivers/sneaky.jar"))).isTrue();
        assertThat(trust.isDriverLevel(bundle(11, "reference:file:/tmp/run/bad.jar"))).isTrue();
        assertThat(trust.isDriverLevel(bundle(12, "inputstream:bad.jar"))).as("not from a trusted file").isTrue();
    }

    private static org.osgi.framework.Bundle bundle(long id, String location) {
        org.osgi.framework.Bundle b = org.mockito.Mockito.mock(org.osgi.framework.Bundle.class);
        org.mockito.Mockito.when(b.getBundleId()).thenReturn(id);
        org.mockito.Mockito.when(b.getLocation()).thenReturn(location);
        return b;
    }
}
