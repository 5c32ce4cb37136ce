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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
 * paged-pool mapping of every driver failing. So the mappings are made by a thread of the pool's own
 * ({@code Ringzero page file}), which no driver's interrupt of itself or of its threads reaches; the
 * caller waits for it without regard to its own interrupt status, which stays as it was. Should the
 * mapping thread be interrupted all the same (a driver interrupting every thread in the JVM), the
 * channel it closes is opened and locked again and the mapping retried. Mappings made before stay
 * valid: a mapped segment does not depend on its channel. A mapping is made once per chunk (or huge
 * block), so the hand-over costs nothing on the allocation paths.
 *
 * <p>Why not unlink the file at once (open, then delete, as {@code DELETE_ON_CLOSE} does on Unix): a
 * channel closed by an interrupt could not be opened again.
 */
final class PageFile implements AutoCloseable {

    private static final String PREFIX = "ringzero-pagefile-";
    private static final String SUFFIX = ".sys";
    /** Reopening after an interrupt of the mapping thread closed the channel: enough for a storm, bounded. */
    private static final int MAP_ATTEMPTS = 8;

    private final Path path;
    /** Replaced when an interrupt closed it; guarded by {@code this}. */
    private FileChannel channel;
    private FileLock lock;
    private boolean closed;
    /**
     * Makes every mapping, so that no caller's interrupt reaches the channel. Its thread is started with the
     * pool, in the group of whoever starts the pool: started later, by a driver's first allocation, it would
     * join that driver's thread group.
     */
    private final ThreadPoolExecutor mapper = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> Thread.ofPlatform().name("Ringzero page file").daemon(true).unstarted(r));

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
            mapper.prestartCoreThread();
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
        Future<MemorySegment> mapping;
        try {
            mapping = mapper.submit(() -> mapHere(offset, bytes, arena));
        } catch (RejectedExecutionException closedPool) {
            throw new ClosedChannelException();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return mapping.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the caller's own business: kept for it, the mapping waited for
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case IOException io -> throw io;
                        case RuntimeException r -> throw r;
                        case Error err -> throw err;
                        default -> throw new IOException(e.getCause());
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** On the mapping thread: maps, reopening a channel an interrupt of this thread closed. */
    private synchronized MemorySegment mapHere(long offset, long bytes, Arena arena) throws IOException {
        Thread.interrupted(); // an interrupt that reached this thread between mappings must not close the channel
        for (int attempt = 1; ; attempt++) {
            try {
                return channel.map(FileChannel.MapMode.READ_WRITE, offset, bytes, arena);
            } catch (ClosedChannelException e) { // ClosedByInterruptException, AsynchronousCloseException
                Thread.interrupted();
                if (closed || attempt == MAP_ATTEMPTS) {
                    throw e;
                }
                reopen();
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
    public void close() {
        mapper.shutdownNow();
        closeFile();
    }

    private synchronized void closeFile() {
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
