package dev.ringzero.pool;

import dev.ringzero.spi.memory.ExecutivePool;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How the launcher makes the host's pool on its module path ({@link java.util.ServiceLoader}): a fresh pool
 * with the defaults whose page file lives in the folder the launcher names (the installation's {@code data/}).
 */
public final class ExecutivePoolFactory implements ExecutivePool.Factory {

    @Override
    public ExecutivePool create(Path dataFolder) {
        Objects.requireNonNull(dataFolder, "dataFolder");
        return new ExecutivePoolComponent(Map.of(PoolConfig.DATA_FOLDER, dataFolder.toString()));
    }
}
