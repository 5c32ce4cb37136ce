package dev.ringzero.testkit;

import dev.ringzero.api.Driver;
import dev.ringzero.api.RingzeroDriver;
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
 * The service name the host will give a driver class: its {@link RingzeroDriver#NAME_HEADER} manifest header,
 * else its simple name — what the host's extender does with the built bundle.
 *
 * <p>A driver declares it with {@link RingzeroDriver @RingzeroDriver(name = ...)}, read here by reflection. A
 * driver written before the annotation spells the header with OSGi's {@code @Header}, which is kept in the class
 * file but not at run time: the kit reads that from the class file ({@code java.lang.classfile}), so such a
 * driver's test, too, loads it under the name the host will.
 */
final class DriverNames {

    private static final ClassDesc HEADER = ClassDesc.of("org.osgi.annotation.bundle.Header");
    private static final ClassDesc HEADERS = ClassDesc.of("org.osgi.annotation.bundle.Headers");

    private DriverNames() {
    }

    static String of(Class<? extends Driver> entryClass) {
        return declared(entryClass).orElse(entryClass.getSimpleName());
    }

    /** The class's {@code @RingzeroDriver} name, else the literal value of its hand-written name {@code @Header}. */
    static Optional<String> declared(Class<?> entryClass) {
        RingzeroDriver annotated = entryClass.getAnnotation(RingzeroDriver.class);
        return annotated != null ? Optional.of(annotated.name()) : handWritten(entryClass);
    }

    private static Optional<String> handWritten(Class<?> entryClass) {
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
                    .filter(a -> a.classSymbol().equals(HEADER) && RingzeroDriver.NAME_HEADER.equals(string(a, "name")))
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
