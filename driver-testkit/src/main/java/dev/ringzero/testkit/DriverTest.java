package dev.ringzero.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (or one test method) against a fresh in-process Ringzero host and hands each test
 * a {@link DriverHarness} parameter.
 *
 * {@snippet :
 * @DriverTest(verifier = true, lookaside = "nt")
 * class MyDriverTest {
 *
 *     @Test
 *     void shouldLoadAndGiveEverythingBack(DriverHarness kd) {
 *         kd.load(MyDriver.class).assertStatus(NtStatus.STATUS_SUCCESS);
 *         kd.unload("MyDriver");
 *         kd.assertNoLeaks();
 *         kd.assertNoBugChecks();
 *     }
 * }
 * }
 *
 * <p>Every test method (every invocation of a parameterized test) gets its own host: its own pool and
 * address space, its own lookaside registry, no drivers loaded. The host is closed after the test:
 * drivers still loaded are unloaded then, without assertions. An annotation on the method overrides
 * the one on its class.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DriverTestExtension.class)
public @interface DriverTest {

    /**
     * Driver Verifier for every driver the test loads: misuse of the pool is bug check 0xC4 with the
     * verifier's codes, lookaside lists cache nothing (Depth 0), every pool block records the line
     * that allocated it, and unloading with leaked pool or undeleted lookaside lists is a bug check.
     */
    boolean verifier() default false;

    /**
     * The lookaside implementation new lists get: {@code "nt"}, {@code "magazine"}, … An empty string
     * (the default) takes the host's default, the first implementation found. A name the host does
     * not know fails the test with the names it does know.
     */
    String lookaside() default "";
}
