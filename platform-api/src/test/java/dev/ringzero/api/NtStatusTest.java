package dev.ringzero.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NtStatusTest {

    @Test
    void shouldPrintNamedStatusWithItsValue() {
        assertThat(NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR)
                .hasToString("STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182)");
        assertThat(NtStatus.of(0xC0000182)).isEqualTo(NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR);
        assertThat(NtStatus.of(0xC0000182).name()).isEqualTo("STATUS_DEVICE_CONFIGURATION_ERROR");
    }

    @Test
    void shouldPrintUnnamedStatusAsHexOnly() {
        assertThat(NtStatus.of(0xE0001234)).hasToString("0xE0001234");
    }

    @Test
    void shouldSplitSeverityFacilityAndCode() {
        NtStatus s = NtStatus.of(0xC00A0006);
        assertThat(s.severity()).isEqualTo(3);
        assertThat(s.facility()).isEqualTo(0x00A);
        assertThat(s.code()).isEqualTo(6);
        assertThat(NtStatus.of(0xE0000000).isCustomer()).isTrue();
    }

    @Test
    void shouldClassifyBySeverityLikeNtdefH() {
        assertThat(NtStatus.NT_SUCCESS(NtStatus.STATUS_SUCCESS)).isTrue();
        assertThat(NtStatus.NT_SUCCESS(NtStatus.STATUS_PENDING)).isTrue();
        assertThat(NtStatus.NT_SUCCESS(NtStatus.of(0x40000000))).isTrue();
        assertThat(NtStatus.NT_INFORMATION(NtStatus.of(0x40000000))).isTrue();
        assertThat(NtStatus.NT_WARNING(NtStatus.STATUS_DATATYPE_MISALIGNMENT)).isTrue();
        assertThat(NtStatus.NT_SUCCESS(NtStatus.STATUS_DATATYPE_MISALIGNMENT)).isFalse();
        assertThat(NtStatus.NT_ERROR(NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR)).isTrue();
        assertThat(NtStatus.NT_SUCCESS(NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR)).isFalse();
    }

    @Test
    void shouldCarryNtValuesFromTheHeaders() {
        assertThat(NtStatus.STATUS_INSUFFICIENT_RESOURCES.value()).isEqualTo(0xC000009A);
        assertThat(NtStatus.STATUS_IMAGE_ALREADY_LOADED.value()).isEqualTo(0xC000010E);
        assertThat(NtStatus.STATUS_INVALID_PARAMETER_8.value()).isEqualTo(0xC00000F6);
        assertThat(NtStatus.STATUS_FAILED_DRIVER_ENTRY.value()).isEqualTo(0xC0000365);
    }
}
