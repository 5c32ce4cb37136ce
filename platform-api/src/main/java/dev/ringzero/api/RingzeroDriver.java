package dev.ringzero.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Header;

/**
 * Marks a {@link Driver} class as its bundle's driver: bnd writes the manifest headers the host loads it by.
 * {@snippet :
 * @RingzeroDriver(name = "LookasideList")
 * public final class LookasideList implements Driver { ... }
 * }
 * gives {@code Ringzero-Driver: dev.ringzero.drivers.lookasidelist.LookasideList} and
 * {@code Ringzero-Driver-Name: LookasideList}. One per bundle. A bundle whose headers are written by hand
 * (built before this annotation) loads the same way: the host reads the headers, never the annotation.
 * Kept at run time so that tools without the manifest (the driver test kit) read the name from the class.
 *
 * <p>This file is the one place the headers are named: the host, the test kit and the tools use {@link #HEADER}
 * and {@link #NAME_HEADER}.
 *
 * <p>Why the entry-class header hangs off {@link EntryClass} and not a second {@code @Header} here: two
 * {@code @Header}s become one {@code @Headers} container, and bnd (7.3) hands an element macro such as
 * {@code ${#name}} to the container, not to the headers in it, so the name header would be written as the literal
 * text {@code ${#name}}. One {@code @Header} per annotation type gets its element macros; {@code ${@class}} is
 * the annotated driver class at any depth of meta-annotation.
 *
 * @since 1.4
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Header(name = RingzeroDriver.NAME_HEADER, value = "${#name}")
@RingzeroDriver.EntryClass
public @interface RingzeroDriver {

    /** The manifest header naming the driver's entry class (a {@link Driver} with a public no-argument constructor). */
    String HEADER = "Ringzero-Driver";

    /** The manifest header naming the driver's service (NT's {@code DriverName} without {@code \Driver\}). */
    String NAME_HEADER = "Ringzero-Driver-Name";

    /** The driver's service name: {@code \Driver\<name>}, {@code \Registry\...\Services\<name>}. */
    String name();

    /**
     * Writes {@link #HEADER} naming the class annotated {@link RingzeroDriver}; only meta-annotates
     * {@code RingzeroDriver} (a driver writes {@code @RingzeroDriver}, never this).
     */
    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target(ElementType.ANNOTATION_TYPE)
    @Header(name = RingzeroDriver.HEADER, value = "${@class}")
    @interface EntryClass {}
}
