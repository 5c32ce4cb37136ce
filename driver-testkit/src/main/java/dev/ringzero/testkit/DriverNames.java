package dev.ringzero.testkit;

import dev.ringzero.api.Driver;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationElement;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.constant.ClassDesc;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The service name the host will give a driver class: its {@code Ringzero-Driver-Name} manifest header,
 * else its simple name — what the host's extender does with the built bundle.
 *
 * <p>Drivers declare their headers with bnd's {@code @Header} annotation, which is kept in the class
 * file but not at run time; the kit reads it from the class file ({@code java.lang.classfile}), so a
 * test loads the driver under the same name the host will.
 */
final class DriverNames {

    static final String NAME_HEADER = "Ringzero-Driver-Name";
    private static final ClassDesc HEADER = ClassDesc.of("org.osgi.annotation.bundle.Header");
    private static final ClassDesc HEADERS = ClassDesc.of("org.osgi.annotation.bundle.Headers");

    private DriverNames() {
    }

    static String of(Class<? extends Driver> entryClass) {
        return declared(entryClass).orElse(entryClass.getSimpleName());
    }

    /** The literal value of the class's {@code @Header(name = "Ringzero-Driver-Name")}, if it has one. */
    static Optional<String> declared(Class<?> entryClass) {
        String binaryName = entryClass.getName();
        String resource = binaryName.substring(binaryName.lastIndexOf('.') + 1) + ".class";
        try (InputStream in = entryClass.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            ClassModel model = ClassFile.of().parse(in.readAllBytes());
            return model.findAttribute(Attributes.runtimeInvisibleAnnotations()).stream()
                    .flatMap(a -> a.annotations().stream())
                    .flatMap(a -> a.classSymbol().equals(HEADERS) ? containerElements(a) : Stream.of(a))
                    .filter(a -> a.classSymbol().equals(HEADER) && NAME_HEADER.equals(string(a, "name")))
                    .map(a -> string(a, "value"))
                    .filter(v -> v != null && !v.contains("${"))      // a bnd macro: only bnd knows its value
                    .findFirst();
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }

    private static Stream<Annotation> containerElements(Annotation container) {
        return container.elements().stream()
                .filter(e -> e.name().equalsString("value"))
                .map(AnnotationElement::value)
                .filter(AnnotationValue.OfArray.class::isInstance)
                .flatMap(v -> ((AnnotationValue.OfArray) v).values().stream())
                .filter(AnnotationValue.OfAnnotation.class::isInstance)
                .map(v -> ((AnnotationValue.OfAnnotation) v).annotation());
    }

    private static String string(Annotation a, String element) {
        for (AnnotationElement e : a.elements()) {
            if (e.name().equalsString(element) && e.value() instanceof AnnotationValue.OfString s) {
                return s.stringValue();
            }
        }
        return null;
    }
}
