package dev.ringzero.bench.goals;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.google.common.base.Ticker;
import io.netty.util.Recycler;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;
import stormpot.Allocator;
import stormpot.BasePoolable;
import stormpot.Expiration;
import stormpot.Pool;
import stormpot.Slot;

/**
 * The peers of the goals run, each configured as perf-anchors §8 says, all pooling 64-byte native blocks
 * (segments of one shared arena) so every benchmark does the same work per op: take a block, write 8 bytes
 * into it, hand it to a Blackhole, give it back.
 */
final class Peers {

    static final int BLOCK = 64;
    /** How many blocks a shared pool holds (more than the threads can hold at once). */
    static final int POOL_SIZE = 16;

    /** The tuner never ticks: depths stay where the benchmark put them. */
    static final Ticker FROZEN = new Ticker() {
        @Override
        public long read() {
            return 0;
        }
    };

    static final Linker LINKER = Linker.nativeLinker();
    static final MemorySegment MALLOC_ADDRESS = LINKER.defaultLookup().find("malloc").orElseThrow();
    static final MemorySegment FREE_ADDRESS = LINKER.defaultLookup().find("free").orElseThrow();
    static final FunctionDescriptor MALLOC_TYPE = FunctionDescriptor.of(ADDRESS, JAVA_LONG);
    static final FunctionDescriptor FREE_TYPE = FunctionDescriptor.ofVoid(ADDRESS);
    static final MethodHandle MALLOC = LINKER.downcallHandle(MALLOC_ADDRESS, MALLOC_TYPE);
    static final MethodHandle FREE = LINKER.downcallHandle(FREE_ADDRESS, FREE_TYPE);
    static final MethodHandle MALLOC_CRITICAL = LINKER.downcallHandle(MALLOC_ADDRESS, MALLOC_TYPE, Linker.Option.critical(false));
    static final MethodHandle FREE_CRITICAL = LINKER.downcallHandle(FREE_ADDRESS, FREE_TYPE, Linker.Option.critical(false));

    /** Native memory for the pooled peers' blocks: one shared arena for the whole fork, never closed per block. */
    static final Arena SLABS = Arena.ofShared();

    private Peers() {
    }

    static MemorySegment block() {
        return SLABS.allocate(BLOCK, 16);
    }

    // ---- Netty Recycler

    static final class RecycledBlock {
        final Recycler.Handle<RecycledBlock> handle;
        final MemorySegment segment = block();

        RecycledBlock(Recycler.Handle<RecycledBlock> handle) {
            this.handle = handle;
        }
    }

    /** Netty 4.2's default Recycler (thread-local pools; owner batch on FastThreadLocalThreads). */
    static Recycler<RecycledBlock> defaultRecycler() {
        return new Recycler<>() {
            @Override
            protected RecycledBlock newObject(Handle<RecycledBlock> handle) {
                return new RecycledBlock(handle);
            }
        };
    }

    /** A Recycler pinned to the calling thread, unguarded (no handle state machine): #15610's fastest mode. */
    static Recycler<RecycledBlock> pinnedRecycler() {
        return new Recycler<>(Thread.currentThread(), true) {
            @Override
            protected RecycledBlock newObject(Handle<RecycledBlock> handle) {
                return new RecycledBlock(handle);
            }
        };
    }

    // ---- Stormpot

    static final class StormpotBlock extends BasePoolable {
        final MemorySegment segment = block();

        StormpotBlock(Slot slot) {
            super(slot);
        }
    }

    static Pool<StormpotBlock> stormpot() {
        return Pool.fromInline(new Allocator<StormpotBlock>() {
                    @Override
                    public StormpotBlock allocate(Slot slot) {
                        return new StormpotBlock(slot);
                    }

                    @Override
                    public void deallocate(StormpotBlock poolable) {
                    }
                }).setSize(POOL_SIZE).setExpiration(Expiration.never())
                .setPreciseLeakDetectionEnabled(false).build();
    }

    // ---- commons-pool2

    static final class CommonsBlock {
        final MemorySegment segment = block();
    }

    /** JCTools' MPMC array queue, pre-filled with {@link #POOL_SIZE} blocks: poll + offer is one use. */
    static MpmcVarHandleArrayQueue<MemorySegment> jctoolsQueue() {
        MpmcVarHandleArrayQueue<MemorySegment> queue = new MpmcVarHandleArrayQueue<>(POOL_SIZE * 2);
        for (int i = 0; i < POOL_SIZE; i++) {
            queue.offer(block());
        }
        return queue;
    }

    static GenericObjectPool<CommonsBlock> commonsPool() {
        GenericObjectPoolConfig<CommonsBlock> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(POOL_SIZE);
        config.setMaxIdle(POOL_SIZE);
        config.setLifo(true);
        config.setJmxEnabled(false);
        GenericObjectPool<CommonsBlock> pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
            @Override
            public CommonsBlock create() {
                return new CommonsBlock();
            }

            @Override
            public PooledObject<CommonsBlock> wrap(CommonsBlock obj) {
                return new DefaultPooledObject<>(obj);
            }
        }, config);
        try {
            pool.addObjects(POOL_SIZE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return pool;
    }
}
