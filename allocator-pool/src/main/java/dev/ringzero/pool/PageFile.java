package dev.ringzero.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The paged pool's backing store: a sparse file owned by this pool, mapped a window at a time.
 *
 * <p>The name is unique ({@code ringzero-pagefile-<pid>-<random>.sys}, created with
 * {@code CREATE_NEW}) and the file is locked for as long as the pool lives, so two hosts never share
 * one. Windows are mapped at {@code slot * chunkSize}; pages never touched stay holes in the file and
 * cost no disk. The file stays visible in the data folder while the pool lives; it is deleted when
 * the pool closes and, should the JVM exit first, by {@link java.io.File#deleteOnExit()}. (Not
 * {@code DELETE_ON_CLOSE}: on Unix the JDK unlinks such a file as soon as it is opened.)
 */
final class PageFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    PageFile(Path folder) {
        try {
            Files.createDirectories(folder);
            String name = "ringzero-pagefile-" + ProcessHandle.current().pid() + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".sys";
            this.path = folder.resolve(name);
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.SPARSE);
            path.toFile().deleteOnExit();
            this.lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("page file is locked by another process: " + path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the paged pool's page file in " + folder, e);
        }
    }

    Path path() {
        return path;
    }

    /** Maps {@code bytes} at {@code offset} read-write into {@code arena}; the file grows (sparsely) as needed. */
    MemorySegment map(long offset, long bytes, Arena arena) throws IOException {
        return channel.map(FileChannel.MapMode.READ_WRITE, offset, bytes, arena);
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the page file " + path, e);
        }
    }
}
