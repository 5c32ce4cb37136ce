package dev.ringzero.host.allocators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ClassPreloadTest {

    /** Never loaded by anything but the preload in this test: only {@link Flushed#flush} names it. */
    static final class OnlyAtFlush {
    }

    /** A class whose flush path names a class no other code has loaded. */
    static final class Flushed {
        Object flush() {
            return new OnlyAtFlush();
        }
    }

    /** A loader of its own that defines the two classes from their bytes and records every name it is asked for. */
    private static final class RecordingLoader extends ClassLoader {
        final Map<String, Boolean> asked = new ConcurrentHashMap<>();
        final Map<String, byte[]> bytes;

        RecordingLoader(Map<String, byte[]> bytes) {
            super(ClassPreloadTest.class.getClassLoader());
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.put(name, true);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) {
                    return c;
                }
                byte[] b = bytes.get(name.replace('.', '/') + ".class");
                return b != null ? defineClass(name, b, 0, b.length) : super.loadClass(name, resolve);
            }
        }
    }

    private static Map<String, byte[]> classFiles(Class<?>... types) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Class<?> t : types) {
            String entry = t.getName().replace('.', '/') + ".class";
            try (InputStream in = t.getClassLoader().getResourceAsStream(entry)) {
                files.put(entry, in.readAllBytes());
            }
        }
        return files;
    }

    @Test
    void everyOwnClassAndEveryClassTheyNameShouldBeLoadedThroughTheImplementationsLoader() throws Exception {
        Map<String, byte[]> files = classFiles(Flushed.class, OnlyAtFlush.class);
        RecordingLoader loader = new RecordingLoader(files);

        ClassPreload.Result r = ClassPreload.preload(loader, files);

        assertThat(r.ownClasses()).isEqualTo(2);
        assertThat(r.failed()).isEmpty();
        assertThat(r.referencedClasses()).isPositive();
        assertThat(loader.asked).containsKeys(Flushed.class.getName(), OnlyAtFlush.class.getName(), "java.lang.Object");
        // defined by the implementation's loader, not by the test's
        Class<?> flushed = Class.forName(Flushed.class.getName(), false, loader);
        assertThat(flushed.getClassLoader()).isSameAs(loader);
    }

    @Test
    void aClassThatDoesNotLoadShouldBeNamedAndAMissingReferenceSkipped() throws Exception {
        Map<String, byte[]> files = classFiles(Flushed.class);
        // OnlyAtFlush named by Flushed but not in the "jar": the parent finds it, so it counts as a reference
        ClassLoader refusing = new ClassLoader(null) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("java.")) {
                    return super.loadClass(name, resolve);
                }
                throw new ClassNotFoundException(name);
            }
        };

        ClassPreload.Result r = ClassPreload.preload(refusing, files);

        assertThat(r.failed()).isEqualTo(List.of(Flushed.class.getName()));
        assertThat(r.ownClasses()).isZero();
    }
}
