package dev.ringzero.host.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.jar.Attributes;
import org.junit.jupiter.api.Test;

class DriverContractTest {

    private static Attributes manifest(String... headers) {
        Attributes a = new Attributes();
        for (int i = 0; i < headers.length; i += 2) {
            a.putValue(headers[i], headers[i + 1]);
        }
        return a;
    }

    @Test
    void theApiAndTheJdkShouldBeAllowedAndNothingElse() {
        assertThat(DriverContract.allows("dev.ringzero.api")).isTrue();
        assertThat(DriverContract.allows("dev.ringzero.api.memory")).isTrue();
        assertThat(DriverContract.allows("dev.ringzero.api.lookaside")).isTrue();
        assertThat(DriverContract.allows("javax.xml.parsers")).as("a JDK package").isTrue();
        assertThat(DriverContract.allows("java.util")).isTrue();
        for (String outside : new String[] {"org.osgi.framework", "org.osgi.util.tracker", "org.apache.felix.framework",
                "org.osgi.service.component", "dev.ringzero.host.core", "dev.ringzero.pool", "dev.ringzero.lookaside",
                "com.google.common.base", "dev.ringzero.api.spi"}) {
            assertThat(DriverContract.allows(outside)).as(outside).isFalse();
        }
    }

    @Test
    void aManifestWithinTheContractShouldPass() {
        assertThat(DriverContract.violation(manifest("Import-Package",
                "dev.ringzero.api;version=\"[1.0,2)\",dev.ringzero.api.memory;version=\"[1.0,2)\",javax.xml.parsers"))).isEmpty();
        assertThat(DriverContract.violation(manifest())).isEmpty();
    }

    @Test
    void eachWayBeyondTheContractShouldBeNamedInOneLine() {
        assertThat(DriverContract.violation(manifest("Import-Package",
                "dev.ringzero.api;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.10,2)\";resolution:=optional")))
                .hasValue("imports package org.osgi.framework");
        assertThat(DriverContract.violation(manifest("Import-Package", "org.osgi.framework;org.osgi.util.tracker;version=1.5")))
                .hasValue("imports packages org.osgi.framework, org.osgi.util.tracker");
        assertThat(DriverContract.violation(manifest("DynamicImport-Package", "org.apache.felix.*")))
                .hasValue("has DynamicImport-Package 'org.apache.felix.*', which may wire to any package");
        assertThat(DriverContract.violation(manifest("DynamicImport-Package", "dev.ringzero.pool")))
                .hasValue("imports dynamically package dev.ringzero.pool");
        assertThat(DriverContract.violation(manifest("Require-Bundle", "org.apache.felix.scr")))
                .hasValue("has Require-Bundle: org.apache.felix.scr (a driver wires to packages of the driver contract only, never to a bundle)");
        assertThat(DriverContract.violation(manifest("Fragment-Host", "system.bundle"))).isPresent();
        assertThat(DriverContract.refusal(manifest("Import-Package", "org.osgi.framework"))).hasValue("refused: it imports package"
                + " org.osgi.framework (a driver may import only dev.ringzero.api, dev.ringzero.api.lookaside,"
                + " dev.ringzero.api.memory and the JDK's packages)");
    }
}
