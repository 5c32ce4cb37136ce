package dev.ringzero.pool;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * How a pool is set up: read once, when the pool starts (OSGi configuration or the map given to
 * {@link ExecutivePoolComponent#ExecutivePoolComponent(Map)}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #CHUNK_SIZE}</td><td>4 MiB</td><td>bytes reserved at a time, a power of two from 1 MiB to 256 MiB</td></tr>
 *   <tr><td>{@value #NON_PAGED_POOL_LIMIT}</td><td>512 MiB</td><td>most bytes of non-paged pool pages in use (at most 1 GiB)</td></tr>
 *   <tr><td>{@value #PAGED_POOL_LIMIT}</td><td>1 GiB</td><td>most bytes of paged pool pages in use (at most 1 GiB)</td></tr>
 *   <tr><td>{@value #DATA_FOLDER}</td><td>the host's {@code data/} in Felix ({@value #HOST_DATA_FOLDER}), else {@code java.io.tmpdir}</td><td>where the paged pool's page file is created</td></tr>
 *   <tr><td>{@value #VERIFIED_BY_DEFAULT}</td><td>{@code false}</td><td>whether owners without a setting of their own are verified</td></tr>
 * </table>
 * Sizes accept a plain number of bytes or a suffix {@code K}, {@code M}, {@code G} (powers of 1024).
 */
record PoolConfig(int chunkBits, long nonPagedLimit, long pagedLimit, Path dataFolder, boolean verifiedByDefault) {

    static final String CHUNK_SIZE = "chunkSize";
    static final String NON_PAGED_POOL_LIMIT = "nonPagedPoolLimit";
    static final String PAGED_POOL_LIMIT = "pagedPoolLimit";
    static final String DATA_FOLDER = "dataFolder";
    static final String VERIFIED_BY_DEFAULT = "verifiedByDefault";
    /**
     * The framework property naming the host's data folder ({@code data/} of the installation), the page
     * file's folder when the configuration names none. It is the host's published configuration name
     * (like {@code felix.fileinstall.dir}), set by {@code FelixHost} and read here: the pool cannot import
     * the host.
     */
    static final String HOST_DATA_FOLDER = "ringzero.data";

    /** Each pool spans 1 GiB of the 32-bit system address space. */
    static final long POOL_SPAN = 1L << 30;
    static final int MIN_CHUNK_BITS = 20;
    static final int MAX_CHUNK_BITS = 28;

    PoolConfig {
        if (chunkBits < MIN_CHUNK_BITS || chunkBits > MAX_CHUNK_BITS) {
            throw new IllegalArgumentException("chunk size must be a power of two from 1 MiB to 256 MiB: chunkBits="
                    + chunkBits);
        }
        if (nonPagedLimit < 0 || nonPagedLimit > POOL_SPAN) {
            throw new IllegalArgumentException("nonPagedPoolLimit must be 0 to " + POOL_SPAN + " bytes: " + nonPagedLimit);
        }
        if (pagedLimit < 0 || pagedLimit > POOL_SPAN) {
            throw new IllegalArgumentException("pagedPoolLimit must be 0 to " + POOL_SPAN + " bytes: " + pagedLimit);
        }
        if (dataFolder == null) {
            throw new IllegalArgumentException("dataFolder is null");
        }
    }

    static PoolConfig defaults() {
        return from(Map.of());
    }

    /** Reads the keys above from {@code properties}; unknown keys (OSGi's {@code component.name}, ...) are ignored. */
    static PoolConfig from(Map<String, ?> properties) {
        long chunkSize = size(properties, CHUNK_SIZE, 4L << 20);
        if (Long.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException(CHUNK_SIZE + " must be a power of two: " + chunkSize);
        }
        Object folder = properties.get(DATA_FOLDER);
        Path dataFolder = folder == null || folder.toString().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"))
                : Path.of(folder.toString());
        Object verified = properties.get(VERIFIED_BY_DEFAULT);
        return new PoolConfig(Long.numberOfTrailingZeros(chunkSize),
                size(properties, NON_PAGED_POOL_LIMIT, 512L << 20),
                size(properties, PAGED_POOL_LIMIT, POOL_SPAN),
                dataFolder,
                verified != null && Boolean.parseBoolean(verified.toString()));
    }

    int chunkSize() {
        return 1 << chunkBits;
    }

    private static long size(Map<String, ?> properties, String key, long fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        String s = value.toString().trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("K") || s.endsWith("M") || s.endsWith("G")) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            s = s.substring(0, s.length() - 1).trim();
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(key + " is not a size in bytes: '" + value + "'", e);
        }
    }
}
