package dev.ringzero.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link DriverTest}: resolves {@link DriverHarness} parameters of test
 * methods, lifecycle methods and constructors.
 *
 * <p>The harness lives in the extension context's store, so the test method and its
 * {@code @BeforeEach} / {@code @AfterEach} methods share one; JUnit closes it when that context ends.
 * Usually registered through {@link DriverTest}; {@code @ExtendWith(DriverTestExtension.class)} alone
 * gives the defaults.
 */
public final class DriverTestExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DriverTestExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DriverHarness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        DriverTest settings = settings(context);
        try {
            return context.getStore(NAMESPACE).getOrComputeIfAbsent(DriverHarness.class,
                    key -> DriverHarness.start(settings.verifier(), settings.lookaside()), DriverHarness.class);
        } catch (DriverHarness.UnknownLookasideException e) {
            throw new ExtensionConfigurationException("@DriverTest(lookaside = \"" + settings.lookaside() + "\"): "
                    + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException("cannot start an in-process Ringzero host: " + e.getMessage(), e);
        }
    }

    /** The nearest {@link DriverTest}: on the method, its class, or an enclosing class; else the defaults. */
    private static DriverTest settings(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            if (element.isPresent()) {
                Optional<DriverTest> found = AnnotationSupport.findAnnotation(element.get(), DriverTest.class);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        return Defaults.class.getAnnotation(DriverTest.class);
    }

    @DriverTest
    private static final class Defaults {
    }
}
