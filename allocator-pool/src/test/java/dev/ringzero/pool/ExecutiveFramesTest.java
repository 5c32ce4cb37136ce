package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.lookaside.LookasideCache;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which frames the allocation site passes over: the pool's and the API's, never the caller's or the JDK's. */
class ExecutiveFramesTest {

    private final ExecutiveFrames frames = ExecutiveFrames.discover();

    @Test
    void shouldCountThePoolsAndTheApisClassesAsTheExecutives() {
        assertThat(frames.contains(PoolEngine.class)).isTrue();
        assertThat(frames.contains(PoolView.class)).isTrue();
        assertThat(frames.contains(ExecutivePoolComponent.class)).isTrue();
        assertThat(frames.contains(PoolAllocator.class)).as("the API's default methods").isTrue();
        assertThat(frames.contains(BugCheck.class)).isTrue();
    }

    @Test
    void shouldNotCountTheCallerOrTheJdk() {
        assertThat(frames.contains(ExecutiveFramesTest.class)).as("a test stands where a driver would").isFalse();
        assertThat(frames.contains(String.class)).isFalse();
        assertThat(frames.contains(Runnable.class)).isFalse();
        Runnable lambda = () -> { };
        assertThat(frames.contains(lambda.getClass())).as("a hidden class").isFalse();
    }

    /**
     * A bundle-deployed implementation is no ServiceLoader provider: its frames are passed over when its cache is on
     * the stack (the refill runs inside the executive's call of it), its helpers' too; the driver's line is the site.
     */
    @Test
    void shouldPassOverADeployedImplementationsFramesWhenItsCacheIsOnTheStack() throws Exception {
        ClassLoader jar = new DeployedJar();
        Class<?> helper = jar.loadClass(DeployedHelper.class.getName());
        Class<?> cache = jar.loadClass(DeployedCache.class.getName());
        assertThat(cache.getProtectionDomain().getCodeSource().getLocation().toString()).isEqualTo(DeployedJar.LOCATION);
        assertThat(frames.contains(cache)).as("not a ServiceLoader provider").isFalse();

        // innermost first: the pool, the jar's helper, the executive's list, the jar's cache, the executive, the driver
        List<Class<?>> refill = List.of(PoolEngine.class, helper, PoolView.class, cache, PoolAllocator.class,
                ExecutiveFramesTest.class);
        assertThat(frames.site(refill, Function.identity())).contains(ExecutiveFramesTest.class);

        // without its cache on the stack the jar is nobody's executive: its first frame is the site
        assertThat(frames.site(List.of(PoolEngine.class, helper, ExecutiveFramesTest.class), Function.identity()))
                .contains(helper);
        assertThat(frames.site(List.of(PoolEngine.class, PoolAllocator.class), Function.identity())).isEmpty();
    }

    /** A cache class of a "deployed" jar (defined by {@link DeployedJar}); its methods are never called. */
    static final class DeployedCache implements LookasideCache {
        @Override
        public int allocate() {
            return 0;
        }

        @Override
        public void free(int entry) {
        }
    }

    /** A helper class of the same jar, not itself a cache. */
    static final class DeployedHelper {
    }

    /** Defines the two classes above itself, from a code source of their own, as a bundle's class loader would. */
    private static final class DeployedJar extends ClassLoader {
        static final String LOCATION = "file:/ringzero/allocators/deployed.jar";
        private final ProtectionDomain domain;

        DeployedJar() throws Exception {
            super(ExecutiveFramesTest.class.getClassLoader());
            domain = new ProtectionDomain(new CodeSource(URI.create(LOCATION).toURL(), (Certificate[]) null), null);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(DeployedCache.class.getName()) && !name.equals(DeployedHelper.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length, domain);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }
}
