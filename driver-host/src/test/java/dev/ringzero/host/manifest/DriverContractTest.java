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
                "dev.ringzero.api;version=\"[1.4,2)\",dev.ringzero.api.memory;version=\"[2.0,3)\",javax.xml.parsers"))).isEmpty();
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

    @Test
    void theProviderSpiShouldBeRefusedAndNamedAsSuch() {
        assertThat(DriverContract.allows("dev.ringzero.spi.memory")).isFalse();
        assertThat(DriverContract.allows("dev.ringzero.spi.lookaside")).isFalse();
        assertThat(DriverContract.allows("dev.ringzero.library")).isFalse();
        assertThat(DriverContract.refusal(manifest("Import-Package",
                "dev.ringzero.api;version=\"[1.4,2)\",dev.ringzero.spi.lookaside;version=\"[1.0,2)\"")))
                .hasValue("refused: it imports package dev.ringzero.spi.lookaside, the provider SPI that the executive and"
                        + " allocators implement (a driver may import only dev.ringzero.api, dev.ringzero.api.lookaside,"
                        + " dev.ringzero.api.memory and the JDK's packages)");
        assertThat(DriverContract.violation(manifest("Import-Package", "org.osgi.framework,dev.ringzero.spi.memory")))
                .hasValue("imports packages org.osgi.framework, dev.ringzero.spi.memory (the provider SPI)");
        assertThat(DriverContract.violation(manifest("Import-Package", "dev.ringzero.library"))).hasValue("imports package"
                + " dev.ringzero.library, the lookaside library for plain Java code (a driver gets its lists from its DriverObject)");
    }

    @Test
    void aDriverBuiltAgainstApiOneShouldBeToldToRebuildWithTheRangesAndTheHostsVersions() {
        ApiVersions host = ApiVersions.of("dev.ringzero.api;version=\"1.4.0\",dev.ringzero.api.memory;version=\"2.0.0\","
                + "dev.ringzero.api.lookaside;version=\"2.0.0\",dev.ringzero.spi.memory;version=\"1.0.0\"");
        Attributes apiOne = manifest("Import-Package", "dev.ringzero.api;version=\"[1.3,2)\","
                + "dev.ringzero.api.lookaside;version=\"[1.2,2)\",dev.ringzero.api.memory;version=\"[1.3,2)\",java.lang");

        assertThat(DriverContract.violation(apiOne)).as("within the contract: only the versions are wrong").isEmpty();
        assertThat(host.mismatch(apiOne)).hasValue("was built against Ringzero API 1 and must be rebuilt against API 2:"
                + " it imports dev.ringzero.api.lookaside [1.2,2), dev.ringzero.api.memory [1.3,2); the host provides"
                + " dev.ringzero.api.lookaside 2.0.0, dev.ringzero.api.memory 2.0.0 (see docs/migrating-to-api-2.md)");
        assertThat(host.mismatch(manifest("Import-Package", "dev.ringzero.api;version=\"[1.5,2)\"")))
                .hasValue("needs a newer Ringzero API than this host's: it imports dev.ringzero.api [1.5,2);"
                        + " the host provides dev.ringzero.api 1.4.0");
        assertThat(host.mismatch(manifest("Import-Package", "dev.ringzero.api;version=\"[1.1,1.2)\"")))
                .as("a provider's narrow range, built against an older minor")
                .hasValue("was built against an older Ringzero API and must be rebuilt against this host's:"
                        + " it imports dev.ringzero.api [1.1,1.2); the host provides dev.ringzero.api 1.4.0");
        assertThat(host.mismatch(manifest("Import-Package", "dev.ringzero.api.memory;version=\"[3.0,4)\"")))
                .hasValue("needs a newer Ringzero API than this host's: it imports dev.ringzero.api.memory [3.0,4);"
                        + " the host provides dev.ringzero.api.memory 2.0.0");
        assertThat(host.mismatch(manifest("Import-Package", "dev.ringzero.api;version=\"[1.4,2)\","
                + "dev.ringzero.api.memory;version=\"[2.0,3)\",dev.ringzero.api.lookaside;version=2.0"))).as("API 2").isEmpty();
        assertThat(host.mismatch(manifest("Import-Package", "dev.ringzero.api.memory,java.util"))).as("no range: any").isEmpty();
        assertThat(host.mismatch(manifest())).isEmpty();
    }

    @Test
    void theHostsOwnRefusalShouldComeFromTheVersionsItExports() {
        Attributes apiOne = manifest("Import-Package", "dev.ringzero.api.memory;version=\"[1.3,2)\"");
        assertThat(DriverContract.refusal(apiOne)).hasValue("refused: it was built against Ringzero API 1 and must be"
                + " rebuilt against API 2: it imports dev.ringzero.api.memory [1.3,2); the host provides"
                + " dev.ringzero.api.memory 2.0.0 (see docs/migrating-to-api-2.md)");
    }
}
