package dev.ringzero.exitguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent in real JVMs ({@code java -javaagent:ringzero-exit-guard.jar ExitProbe MODE}): every way of
 * calling {@code exit} and {@code halt} reaches the policy and can be refused; an allowed exit, an exit with no
 * policy and SIGTERM end the JVM as before.
 */
class RuntimeGuardIT {

    private record Run(int exitCode, List<String> stdout, List<String> stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
        }
    }

    @Test
    void everyWayOfCallingExitOrHaltShouldAskThePolicyAndBeRefusedByIt() throws Exception {
        Run r = probe("refuse");
        assertThat(r.stdout).as(r.toString()).containsExactly(
                "armed true, gate loaded by null",
                "policy: exit 11", "System.exit: refused exit 11",
                "policy: exit 12", "Runtime.exit: refused exit 12",
                "policy: halt 13", "Runtime.halt: refused halt 13",
                "policy: exit 14", "Method.invoke exit: refused exit 14 (through reflection)",
                "policy: halt 15", "Method.invoke halt: refused halt 15 (through reflection)",
                "policy: exit 16", "MethodHandle exit: refused exit 16",
                "policy: halt 17", "MethodHandle halt: refused halt 17",
                "policy: exit 18", "thread System.exit: refused exit 18",
                "still running",
                "policy: exit 42");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(42);
        assertThat(r.stderr).as(r.toString()).isEmpty();
    }

    @Test
    void withoutAPolicyExitShouldEndTheJvmWithItsStatusAndRunTheShutdownHooks() throws Exception {
        Run r = probe("no-policy");
        assertThat(r.stdout).as(r.toString()).containsExactly("armed true, gate loaded by null", "shutdown hook ran");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(5);
    }

    @Test
    void anExitThePolicyItselfMakesShouldGoThrough() throws Exception {
        Run r = probe("reentrant");
        assertThat(r.stdout).as(r.toString()).containsExactly("armed true, gate loaded by null", "policy: exit 99");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(98);
    }

    @Test
    void sigtermShouldRunTheShutdownHooksAndEndTheJvmWhateverThePolicy() throws Exception {
        Process p = start("signal");
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            assertThat(out.readLine()).isEqualTo("armed true, gate loaded by null");
            assertThat(out.readLine()).isEqualTo("waiting for a signal");
            p.toHandle().destroy();   // SIGTERM (Process.destroy would also close our end of its output)
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out.readLine()).isEqualTo("shutdown hook ran");
        }
        assertThat(p.exitValue()).isEqualTo(143);
    }

    private static Run probe(String mode) throws IOException, InterruptedException {
        Process p = start(mode);
        List<String> stdout = new ArrayList<>();
        List<String> stderr;
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            out.lines().forEach(stdout::add);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not end within 60 s: " + stdout);
        }
        try (BufferedReader err = p.errorReader(StandardCharsets.UTF_8)) {
            stderr = err.lines().toList();
        }
        return new Run(p.exitValue(), stdout, stderr);
    }

    private static Process start(String mode) throws IOException {
        Path agent = Path.of(System.getProperty("exitguard.agent", "target/ringzero-exit-guard.jar"));
        assertThat(agent).as("the agent jar is built in the package phase").isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path testClasses = Path.of(ExitProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        assertThat(Files.isDirectory(testClasses)).isTrue();
        return new ProcessBuilder(java.toString(), "-javaagent:" + agent, "-cp", testClasses.toString(),
                ExitProbe.class.getName(), mode).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }
}
