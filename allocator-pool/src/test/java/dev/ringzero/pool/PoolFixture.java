package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Irql;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.SystemMemory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh pool per test (small chunks, its page file in a temporary folder), a driver owner, IRQL reset. */
abstract class PoolFixture {

    private static final AtomicLong INSTANCES = new AtomicLong(100);

    @TempDir
    Path dataFolder;

    ExecutivePoolComponent pool;
    Owner driver;
    PoolAllocator ex;
    SystemMemory memory;

    /** Extra configuration for subclasses. */
    Map<String, Object> configuration() {
        return Map.of();
    }

    @BeforeEach
    void startPool() {
        Map<String, Object> config = new HashMap<>();
        config.put(PoolConfig.CHUNK_SIZE, "1M");
        config.put(PoolConfig.DATA_FOLDER, dataFolder.toString());
        config.putAll(configuration());
        pool = new ExecutivePoolComponent(config);
        driver = newOwner("TestDriver");
        ex = pool.forDriver(driver);
        memory = pool.memory();
        Irql.resetToPassive();
    }

    @AfterEach
    void closePool() {
        Irql.resetToPassive();
        pool.close();
    }

    static Owner newOwner(String name) {
        return new Owner(name, INSTANCES.incrementAndGet());
    }

    static BugCheck bugCheck(ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (BugCheck b) {
            return b;
        } catch (Throwable t) {
            throw new AssertionError("expected a bug check, got " + t, t);
        }
        throw new AssertionError("expected a bug check, the call returned");
    }

    static void assertBugCheck(BugCheck b, int code, long p1, long p2, long p3, long p4) {
        assertThat(b.code().code()).as("code of %s", b).isEqualTo(code);
        assertThat(new long[] {b.parameter1(), b.parameter2(), b.parameter3(), b.parameter4()})
                .as("parameters of %s", b).containsExactly(p1, p2, p3, p4);
    }

    /** The {@code IndexOutOfBoundsException} {@code access} throws (an access past a segment's bounds). */
    static IndexOutOfBoundsException catchOutOfBounds(Runnable access) {
        try {
            access.run();
        } catch (IndexOutOfBoundsException e) {
            return e;
        }
        throw new AssertionError("the access did not fault");
    }

    static long u(int v) {
        return Integer.toUnsignedLong(v);
    }
}
