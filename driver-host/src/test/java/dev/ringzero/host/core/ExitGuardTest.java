package dev.ringzero.host.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exit guard's policy, asked directly (this JVM has no agent, so {@code System.exit} itself is never rewritten
 * here: the distribution's {@code ExitGuardIT} runs the real thing). The driver is loaded by a class loader of its
 * own, as a bundle's classes are; its DriverEntry "exits" by calling the policy the agent's gate would call.
 */
public class ExitGuardTest {

    private InProcessHost host;

    @BeforeEach
    void start() {
        host = InProcessHost.builder().build();
        assertThat(ExitGuard.watch(host.io())).as("no agent in this JVM: exits are not guarded").isFalse();
        assertThat(ExitGuard.active()).isFalse();
    }

    @AfterEach
    void stop() {
        ExitGuard.unwatch(host.io());
        host.close();
    }

    /** Loaded a second time, by a loader of its own: what its DriverEntry "calls" is the gate's check. */
    public static final class ExitingDriver implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            exit(7);
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** What {@code System.exit(status)} calls through the rewritten {@code Runtime.exit} (public: the driver's copy is in another runtime package). */
    public static void exit(int status) {
        ExitGuard.decide(Boolean.FALSE, status);
    }

    @Test
    void anExitFromDriverCodeShouldBeRefusedWithOneBugCheckChargedToTheDriver() throws Exception {
        DriverOutcome outcome = host.load(DriverImage.of("Exiting", ownLoaderCopyOf(ExitingDriver.class)));

        assertThat(outcome.state()).isEqualTo(DriverState.UNLOADED);
        assertThat(host.bugChecks()).as("reported when refused, not again when it unwound DriverEntry").singleElement()
                .satisfies(r -> {
                    assertThat(r.owner().name()).isEqualTo("Exiting");
                    assertThat(r.phase()).isEqualTo("Exiting: Runtime.exit");
                    BugCheck b = r.bugCheck();
                    assertThat(b.code()).isEqualTo(BugCheckCode.CRITICAL_OBJECT_TERMINATION);
                    assertThat(new long[] {b.parameter1(), b.parameter2(), b.parameter3(), b.parameter4()})
                            .containsExactly(3, 7, 0, 0);
                    assertThat(b.detail()).startsWith("Exiting called Runtime.exit(7) at ")
                            .contains("ExitingDriver.DriverEntry(").endsWith("the exit was refused");
                });
        assertThat(outcome.message()).startsWith("*** STOP: CRITICAL_OBJECT_TERMINATION (0xF4) (0x00000003, 0x00000007,")
                .endsWith("[driver Exiting, during Exiting: Runtime.exit]; driver unloaded");
        assertThat(host.io().drivers()).doesNotContainKey("Exiting");
    }

    @Test
    void theHostsOwnExitShouldGoOn() {
        ExitGuard.decide(Boolean.FALSE, 0);
        ExitGuard.decide(Boolean.TRUE, 1);
        assertThat(host.bugChecks()).isEmpty();
    }

    @Test
    void aDriverOnTheHostsOwnClassLoaderShouldBeChargedThroughItsThreadGroup() {
        // as in the test kit: the driver class comes from the host's class path, so no frame tells it apart
        DriverOutcome outcome = host.load(DriverImage.of("SameLoader", ExitingDriver.class));

        assertThat(host.io().driverOfCode(ExitingDriver.class.getClassLoader())).isEmpty();
        assertThat(outcome.state()).isEqualTo(DriverState.UNLOADED);
        assertThat(host.bugChecks()).singleElement().satisfies(r -> {
            assertThat(r.phase()).isEqualTo("SameLoader: Runtime.exit");
            assertThat(r.bugCheck().detail()).isEqualTo("SameLoader called Runtime.exit(7) on its thread 'System worker: DriverEntry"
                    + " SameLoader': a driver may not end the host's process; the exit was refused");
        });
    }

    /** Exits in its constructor: before the host has the instance, so before it knows the driver's class loader. */
    public static final class ConstructorExitDriver implements Driver {
        public ConstructorExitDriver() {
            halt(8);
        }

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** What {@code Runtime.halt(status)} calls through the rewritten method. */
    public static void halt(int status) {
        ExitGuard.decide(Boolean.TRUE, status);
    }

    @Test
    void aHaltInTheDriversConstructorShouldBeChargedToItThroughItsThreadGroup() throws Exception {
        DriverOutcome outcome = host.load(DriverImage.of("EarlyHalt", ownLoaderCopyOf(ConstructorExitDriver.class)));

        assertThat(outcome.state()).isEqualTo(DriverState.UNLOADED);
        assertThat(outcome.message()).startsWith("EarlyHalt: cannot create the driver from ");
        assertThat(host.bugChecks()).singleElement().satisfies(r -> {
            assertThat(r.phase()).isEqualTo("EarlyHalt: Runtime.halt");
            assertThat(r.bugCheck().parameter3()).isEqualTo(1);
            assertThat(r.bugCheck().detail()).startsWith("EarlyHalt called Runtime.halt(8) on its thread 'System worker: create EarlyHalt'");
        });
    }

    @Test
    void aBugCheckReportedTwiceShouldBeReportedOnce() {
        BugCheck b = new BugCheck(BugCheckCode.CRITICAL_OBJECT_TERMINATION, 3, 0, 1, 0, "test");
        BugCheckReport first = host.io().report(new Owner("X", 1), new BugCheckPhase.Refused("X", "Runtime.halt"), b);

        assertThat(host.io().report(new Owner("X", 1), BugCheckPhase.DRIVER_ENTRY, b)).isSameAs(first);
        assertThat(host.bugChecks()).containsExactly(first);
    }

    /** {@code type} defined again by a class loader of its own (the host's classes still come from the parent). */
    @SuppressWarnings("unchecked")
    static <T> Class<? extends T> ownLoaderCopyOf(Class<T> type) throws ClassNotFoundException {
        ClassLoader parent = type.getClassLoader();
        ClassLoader own = new ClassLoader("driver " + type.getSimpleName(), parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(type.getName())) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c != null) {
                        return c;
                    }
                    try (InputStream in = parent.getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        return defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
            }
        };
        return (Class<? extends T>) own.loadClass(type.getName());
    }
}
