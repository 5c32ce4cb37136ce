package dev.ringzero.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.host.core.DriverImage;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.InProcessHost;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a running JFR recording costs the users' paths: a driver's tap, its NT-style lookaside call and its pool
 * allocate + free (64 B), with {@code recording=off} and with {@code recording=on} — the JDK's {@code default}
 * settings and {@code etc/ringzero.jfc} over them, so Ringzero's rare events are on and its pool allocate/free and
 * lookaside-miss events are off, as shipped. The goal (issue 24): {@code on} within 10 % of {@code off}, the
 * median of three runs' in-run ratios.
 *
 * <p>Run from the repository root (the settings file is read from
 * {@code distribution/src/main/dist/etc/ringzero.jfc}; {@code -Dringzero.jfc=PATH} names another).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JfrOverhead {

    static final int TAG = PoolTag.fromDisplay("JfrB");
    static final int BLOCK = 64;

    @Param({"off", "on"})
    public String recording;

    private InProcessHost host;
    private Recording jfr;
    private LookasideLists lists;
    private int list;
    private LookasideTap tap;
    private PoolAllocator pool;
    private long v;

    @Setup
    public void setUp() throws IOException, ParseException {
        if (recording.equals("on")) {
            Path settings = Path.of(System.getProperty("ringzero.jfc", "distribution/src/main/dist/etc/ringzero.jfc"));
            if (!Files.isRegularFile(settings)) {
                throw new IllegalStateException("no JFR settings at " + settings.toAbsolutePath()
                        + ": run from the repository root, or give -Dringzero.jfc=PATH");
            }
            Map<String, String> s = new HashMap<>(Configuration.getConfiguration("default").getSettings());
            s.putAll(Configuration.create(settings).getSettings());
            jfr = new Recording(s);
            jfr.setToDisk(true);
            jfr.start();
        }
        host = InProcessHost.builder().lookaside("magazine").build();
        DriverOutcome loaded = host.load(DriverImage.of("JfrBenchDriver", BenchDriver.class));
        if (!loaded.loaded()) {
            throw new IllegalStateException("the benchmark's driver did not load: " + loaded);
        }
        lists = BenchDriver.lookaside;
        list = BenchDriver.list;
        pool = BenchDriver.pool;
        tap = lists.tap(list); // made on the benchmark thread: its magazine
        tap.free(tap.allocate());
        lists.ExFreeToNPagedLookasideList(list, lists.ExAllocateFromNPagedLookasideList(list));
    }

    @TearDown
    public void tearDown() {
        host.close();
        if (jfr != null) {
            if (jfr.getSettings().getOrDefault("dev.ringzero.PoolAllocate#enabled", "").equals("true")) {
                throw new IllegalStateException("the pool's allocate event was on: not the shipped settings");
            }
            jfr.close();
        }
    }

    @Benchmark
    public void tap(Blackhole bh) {
        MemorySegment s = tap.allocate();
        s.set(JAVA_LONG, 0, ++v);
        bh.consume(s);
        tap.free(s);
    }

    @Benchmark
    public void call(Blackhole bh) {
        int e = lists.ExAllocateFromNPagedLookasideList(list);
        bh.consume(e);
        lists.ExFreeToNPagedLookasideList(list, e);
    }

    @Benchmark
    public void pool(Blackhole bh) {
        int a = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, BLOCK, TAG);
        bh.consume(a);
        pool.ExFreePoolWithTag(a, TAG);
    }

    /** Hands the benchmark its lookaside routines, one non-paged list of 64-byte entries, and its pool view. */
    public static final class BenchDriver implements Driver {

        static volatile LookasideLists lookaside;
        static volatile int list;
        static volatile PoolAllocator pool;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            LookasideLists l = driverObject.service(LookasideLists.class);
            PoolAllocator p = driverObject.service(PoolAllocator.class);
            int header = p.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
            l.ExInitializeNPagedLookasideList(header, null, null, 0, BLOCK, TAG, 0);
            driverObject.setDriverUnload(d -> {
                l.ExDeleteNPagedLookasideList(header);
                p.ExFreePoolWithTag(header, TAG);
            });
            lookaside = l;
            list = header;
            pool = p;
            return NtStatus.STATUS_SUCCESS;
        }
    }
}
