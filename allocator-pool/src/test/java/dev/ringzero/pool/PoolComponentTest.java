package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.spi.memory.ExecutivePool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool as a component: ServiceLoader on the module path, OSGi DS life cycle, close. */
class PoolComponentTest {

    @TempDir
    Path dataFolder;

    @Test
    void shouldBeFoundByServiceLoaderAsAFreshIndependentPoolEachTime() {
        PoolComponentTest.class.getModule().addUses(ExecutivePool.class);
        List<ExecutivePool> pools = ServiceLoader.load(ExecutivePool.class).stream()
                .filter(p -> p.type() == ExecutivePoolComponent.class)
                .limit(1)
                .map(ServiceLoader.Provider::get)
                .toList();
        List<ExecutivePool> again = ServiceLoader.load(ExecutivePool.class).stream()
                .filter(p -> p.type() == ExecutivePoolComponent.class)
                .map(ServiceLoader.Provider::get)
                .toList();
        assertThat(pools).hasSize(1);
        assertThat(again).hasSize(1);
        try (ExecutivePoolComponent first = (ExecutivePoolComponent) pools.getFirst();
             ExecutivePoolComponent second = (ExecutivePoolComponent) again.getFirst()) {
            assertThat(first).isNotSameAs(second);
            Owner owner = new Owner("Loaded", 1);
            int a = first.forDriver(owner).ExAllocatePoolWithTag(PoolType.PagedPool, 32, PoolTag.of("tseT"));
            assertThat(first.bytesInUse()).isEqualTo(32);
            assertThat(second.bytesInUse()).isZero();
            assertThat(first.pageFile()).isNotEqualTo(second.pageFile());
            first.forDriver(owner).ExFreePool(a);
        }
    }

    @Test
    void shouldStartWithItsConfigurationWhenActivatedAndStopWhenDeactivated() throws IOException {
        ExecutivePoolComponent component = new ExecutivePoolComponent();
        Map<String, Object> properties = new HashMap<>();
        properties.put("component.name", "dev.ringzero.pool.ExecutivePoolComponent");
        properties.put(PoolConfig.DATA_FOLDER, dataFolder.toString());
        properties.put(PoolConfig.CHUNK_SIZE, "2M");
        properties.put(PoolConfig.PAGED_POOL_LIMIT, "16M");
        component.start(properties);
        assertThat(component.engine().config.chunkSize()).isEqualTo(2 << 20);
        Owner owner = new Owner("Configured", 7);
        component.forDriver(owner).ExAllocatePoolWithTag(PoolType.PagedPool, 100, PoolTag.of("tseT"));
        Path file = component.pageFile();
        assertThat(Files.size(file)).isEqualTo(2 << 20);
        assertThat(component.isVerified(owner)).isFalse();

        properties.put(PoolConfig.VERIFIED_BY_DEFAULT, "true");
        component.modified(properties);
        assertThat(component.isVerified(owner)).isTrue();

        component.deactivate();
        assertThat(Files.exists(file)).isFalse();
        assertThatThrownBy(() -> component.forDriver(owner).ExAllocatePoolWithTag(PoolType.NonPagedPool, 8, PoolTag.of("tseT")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        component.close(); // idempotent
    }

    @Test
    void shouldRejectABadConfiguration() {
        assertThatThrownBy(() -> new ExecutivePoolComponent(Map.of(PoolConfig.NON_PAGED_POOL_LIMIT, "2G")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonPagedPoolLimit");
        assertThatThrownBy(() -> new ExecutivePoolComponent(Map.of(PoolConfig.CHUNK_SIZE, "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkSize");
    }
}
