package dev.ringzero.host.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiPackagesTest {

    @Test
    void shouldKeepPackagesAndVersionsAndDropDirectives() {
        String bnd = "dev.ringzero.api;version=\"1.0.0\",dev.ringzero.api.lookaside;uses:=\"dev.ringzero.api,"
                + "dev.ringzero.api.memory\";version=\"1.0.0\",dev.ringzero.api.memory;uses:=\"dev.ringzero.api\";version=\"1.1.0\"";
        assertThat(ApiPackages.fromExportPackage(bnd)).isEqualTo("dev.ringzero.api;version=\"1.0.0\","
                + "dev.ringzero.api.lookaside;version=\"1.0.0\",dev.ringzero.api.memory;version=\"1.1.0\"");
    }

    @Test
    void shouldKeepAPackageWithoutVersion() {
        assertThat(ApiPackages.fromExportPackage("a.b, c.d;version=2")).isEqualTo("a.b,c.d;version=\"2\"");
    }

    @Test
    void shouldSplitOnlyAtCommasOutsideQuotes() {
        assertThat(ApiPackages.splitClauses("a;uses:=\"x,y\",b")).containsExactly("a;uses:=\"x,y\"", "b");
    }

    @Test
    void theHostShouldExportTheThreeApiPackages() {
        assertThat(ApiPackages.systemPackagesExtra())
                .contains("dev.ringzero.api;version=", "dev.ringzero.api.memory;version=", "dev.ringzero.api.lookaside;version=")
                .as("the debugger service package, for the kd shell bundle in system/shell")
                .contains("dev.ringzero.host.debugger;version=\"1.0.0\"");
    }
}
