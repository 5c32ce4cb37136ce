package dev.ringzero.host.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.RingzeroDriver;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A driver's manifest, read from headers as the jar check and the extender both read them. */
class DriverManifestTest {

    @Test
    void theEntryClassAndTheNameShouldComeFromTheApisHeaders() {
        Map<String, String> headers = Map.of(RingzeroDriver.HEADER, " dev.example.MyDriver ",
                RingzeroDriver.NAME_HEADER, "Sample", "Import-Package", "dev.ringzero.api;version=\"[1.4,2)\"");

        assertThat(DriverManifest.read(headers::get)).hasValue(new DriverManifest("dev.example.MyDriver", "Sample",
                java.util.Optional.empty()));
    }

    @Test
    void withoutANameHeaderTheNameShouldBeTheEntryClasssSimpleName() {
        assertThat(DriverManifest.read(Map.of(RingzeroDriver.HEADER, "dev.example.MyDriver")::get))
                .hasValueSatisfying(m -> assertThat(m.driverName()).isEqualTo("MyDriver"));
    }

    @Test
    void aBundleWithoutTheDriverHeaderShouldBeNoDriver() {
        assertThat(DriverManifest.read(Map.of("Bundle-SymbolicName", "x")::get)).isEmpty();
        assertThat(DriverManifest.read(Map.of(RingzeroDriver.HEADER, "  ")::get)).isEmpty();
    }

    @Test
    void wiringBeyondTheContractShouldBeRefusedInOneLine() {
        Map<String, String> headers = Map.of(RingzeroDriver.HEADER, "dev.example.MyDriver",
                "Import-Package", "dev.ringzero.api,dev.ringzero.spi.memory");

        assertThat(DriverManifest.read(headers::get).orElseThrow().refusal())
                .hasValue("refused: it imports package dev.ringzero.spi.memory, the provider SPI that the executive and"
                        + " allocators implement (a driver may import only dev.ringzero.api, dev.ringzero.api.lookaside,"
                        + " dev.ringzero.api.memory and the JDK's packages)");
    }
}
