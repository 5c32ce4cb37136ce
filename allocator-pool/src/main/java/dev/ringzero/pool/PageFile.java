package dev.ringzero.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
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
 * the pool closes and, should the JVM exit first, by {@link java.io.File#deleteOnExit()}. A JVM that
 * is killed or halted runs neither: the next pool started on the same folder deletes the page files
 * of processes that are gone ({@link #deleteOrphans}), so none is left for ever.
 *
 * <h2>Interrupts</h2>
 * A {@link FileChannel} is an {@link java.nio.channels.InterruptibleChannel}: a thread interrupted
 * before or during {@code map} closes it — for every thread, with its lock. Drivers interrupt threads
 * (their own, or {@code shutdownNow()} their executors), and one such interrupt would leave every later
 * paged-pool mapping of every driver failing. So {@link #map} clears the caller's interrupt status for
 * the call and sets it again afterwards (the thread's own status is kept for it), and a channel that was
 * closed anyway — by an interrupt that arrived during the call — is opened again and locked again, and
 * the mapping retried. Mappings made before stay valid: a mapped segment does not depend on its channel.
 *
 * <p>Why not unlink the file at once (open, then delete, as {@code DELETE_ON_CLOSE} does on Unix): a
 * channel closed by an interrupt could not be opened again.
 */
final class PageFile implements AutoCloseable {

    private static final String PREFIX = "ringzero-pagefile-";
    private static final String SUFFIX = ".sys";
    /** Reopening after an interrupt closed the channel: enough for interrupts that keep arriving, bounded. */
    private static final int MAP_ATTEMPTS = 8;

    private final Path path;
    /** Replaced when an interrupt closed it; guarded by {@code this}. */
    private FileChannel channel;
    private FileLock lock;
    private boolean closed;

    PageFile(Path folder) {
        try {
            Files.createDirectories(folder);
            deleteOrphans(folder);
            String name = PREFIX + ProcessHandle.current().pid() + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + SUFFIX;
            this.path = folder.resolve(name);
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.SPARSE);
            path.toFile().deleteOnExit();
            this.lock = lockOrClose(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the paged pool's page file in " + folder, e);
        }
    }

    Path path() {
        return path;
    }

    /**
     * Maps {@code bytes} at {@code offset} read-write into {@code arena}; the file grows (sparsely) as
     * needed. An interrupt of the calling thread neither fails the call nor harms the file (see the class
     * comment); the thread's interrupt status is as it was, or set if an interrupt arrived meanwhile.
     */
    MemorySegment map(long offset, long bytes, Arena arena) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (this) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        return channel.map(FileChannel.MapMode.READ_WRITE, offset, bytes, arena);
                    } catch (ClosedChannelException e) { // ClosedByInterruptException, AsynchronousCloseException
                        interrupted |= Thread.interrupted();
                        if (closed || attempt == MAP_ATTEMPTS) {
                            throw e;
                        }
                        reopen();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Opens and locks the file again after an interrupt closed the channel (which released the lock). */
    private void reopen() throws IOException {
        FileChannel reopened = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        lock = lockOrClose(reopened);
        channel = reopened;
    }

    private FileLock lockOrClose(FileChannel ch) throws IOException {
        FileLock l = ch.tryLock();
        if (l == null) {
            ch.close();
            throw new IllegalStateException("page file is locked by another process: " + path);
        }
        return l;
    }

    /** Deletes the page files in {@code folder} of processes that are gone (killed, halted: no clean-up ran). */
    static int deleteOrphans(Path folder) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, PREFIX + "*" + SUFFIX)) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    @Override
    public synchronized void close() {
        closed = true;
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
