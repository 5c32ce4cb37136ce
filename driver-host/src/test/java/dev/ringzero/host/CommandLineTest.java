package dev.ringzero.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final Duration DEFAULT = Duration.ofSeconds(15);

    private static CommandLine parse(String... args) throws UsageException {
        return CommandLine.parse(List.of(args), DEFAULT);
    }

    @Test
    void shouldStartTheHostWhenGivenNoCommand() throws UsageException {
        CommandLine cl = parse();
        assertThat(cl.command()).isEqualTo(CommandLine.Command.HOST);
        assertThat(cl.jars()).isEmpty();
        assertThat(cl.watchdog()).isEqualTo(DEFAULT);
        assertThat(cl.haltOnBugCheck()).isFalse();
        assertThat(cl.noInteractive()).isFalse();
    }

    @Test
    void shouldTakeRunsJarsInOrder() throws UsageException {
        CommandLine cl = parse("run", "a.jar", "dir/b.jar");
        assertThat(cl.command()).isEqualTo(CommandLine.Command.RUN);
        assertThat(cl.jars()).containsExactly(Path.of("a.jar"), Path.of("dir/b.jar"));
    }

    @Test
    void shouldAcceptOptionsBeforeAndAfterTheCommand() throws UsageException {
        CommandLine cl = parse("--halt-on-bugcheck", "run", "--watchdog", "2.5", "a.jar", "--nointeractive");
        assertThat(cl.haltOnBugCheck()).isTrue();
        assertThat(cl.noInteractive()).isTrue();
        assertThat(cl.watchdog()).isEqualTo(Duration.ofMillis(2500));
        assertThat(cl.jars()).containsExactly(Path.of("a.jar"));
    }

    @Test
    void shouldAcceptTheWatchdogWithAnEqualsSign() throws UsageException {
        assertThat(parse("run", "--watchdog=3").watchdog()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldTakeArgumentsAfterDoubleDashAsJars() throws UsageException {
        assertThat(parse("run", "--", "--odd-name.jar").jars()).containsExactly(Path.of("--odd-name.jar"));
    }

    @Test
    void shouldShowHelpForEachSpelling() throws UsageException {
        for (String help : List.of("-h", "--help", "help")) {
            assertThat(parse(help).command()).isEqualTo(CommandLine.Command.HELP);
        }
        assertThat(parse("run", "--help").command()).isEqualTo(CommandLine.Command.HELP);
    }

    @Test
    void shouldRejectAnUnknownOptionNamingIt() {
        assertThatThrownBy(() -> parse("run", "--bogus"))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option '--bogus' (see ringzero --help)");
    }

    @Test
    void shouldRejectAnUnknownCommandNamingIt() {
        assertThatThrownBy(() -> parse("launch"))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown command 'launch' (see ringzero --help)");
    }

    @Test
    void shouldRejectABadWatchdog() {
        assertThatThrownBy(() -> parse("run", "--watchdog", "soon")).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> parse("run", "--watchdog", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> parse("run", "--watchdog", "0.0001")).hasMessageContaining("positive");
        assertThatThrownBy(() -> parse("run", "--watchdog")).hasMessageContaining("needs a number");
    }

    @Test
    void usageShouldNameEveryOptionAndExitCode() {
        String usage = CommandLine.USAGE.formatted(15);
        assertThat(usage).contains("--halt-on-bugcheck", "--nointeractive", "--watchdog SECONDS", "--help",
                "ringzero run [OPTIONS] [JAR ...]", "(default 15)", "Exit codes: 0", "2 a bad command line", "3 a bug check");
    }

    @Test
    void shouldTakeTheVerifierForEveryDriverOrByName() throws UsageException {
        CommandLine cl = parse("run", "--verifier", "--verify", "LeakyDriver", "--verify=Other", "--special-pool", "Bad", "a.jar");
        assertThat(cl.verifyAll()).isTrue();
        assertThat(cl.verify()).containsExactly("LeakyDriver", "Other");
        assertThat(cl.specialPool()).containsExactly("Bad");
        assertThat(cl.specialPoolTags()).isEmpty();
        assertThat(cl.jars()).containsExactly(Path.of("a.jar"));
        assertThat(parse().verifyAll()).isFalse();
        assertThat(parse().verify()).isEmpty();
    }

    @Test
    void shouldTakeSpecialPoolTagPatternsAndRefuseBadOnes() throws UsageException {
        assertThat(parse("run", "--special-pool-tag", "Wasm", "--special-pool-tag", "Lk*").specialPoolTags())
                .containsExactly("Wasm", "Lk*");
        assertThatThrownBy(() -> parse("run", "--special-pool-tag")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--special-pool-tag needs a tag");
        assertThatThrownBy(() -> parse("run", "--special-pool-tag", "Toolong")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--special-pool-tag").hasMessageContaining("'Toolong'")
                .hasMessageContaining("one to four characters");
        assertThatThrownBy(() -> parse("run", "--special-pool-tag", "Tä")).isInstanceOf(UsageException.class)
                .hasMessageContaining("character 2").hasMessageContaining("not printable ASCII");
    }

    @Test
    void verifyAndSpecialPoolShouldNeedAName() {
        assertThatThrownBy(() -> parse("run", "--verify")).isInstanceOf(UsageException.class)
                .hasMessage("option --verify needs a driver name");
        assertThatThrownBy(() -> parse("run", "--special-pool")).isInstanceOf(UsageException.class)
                .hasMessage("option --special-pool needs a driver name");
    }

    @Test
    void runShouldTakeTheJfrFileToRecordInto() throws UsageException {
        CommandLine cl = parse("run", "--jfr", "out/run.jfr", "a.jar");
        assertThat(cl.jfr()).isEqualTo(Path.of("out/run.jfr"));
        assertThat(cl.jars()).containsExactly(Path.of("a.jar"));
        assertThat(parse("run").jfr()).isNull();
    }

    @Test
    void jfrShouldBeRefusedWithoutRunAndWithoutAFile() {
        assertThatThrownBy(() -> parse("--jfr", "x.jfr")).isInstanceOf(UsageException.class)
                .hasMessageContaining("records a 'ringzero run'");
        assertThatThrownBy(() -> parse("run", "--jfr")).isInstanceOf(UsageException.class)
                .hasMessage("option --jfr needs the file to write the recording into");
    }

    @Test
    void poolmonShouldTakeAnOptionalProcessId() throws UsageException {
        assertThat(parse("poolmon").command()).isEqualTo(CommandLine.Command.POOLMON);
        assertThat(parse("poolmon").poolmonPid()).isNull();
        assertThat(parse("poolmon", "4242").poolmonPid()).isEqualTo(4242L);
        assertThatThrownBy(() -> parse("poolmon", "abc")).isInstanceOf(UsageException.class)
                .hasMessage("'ringzero poolmon' takes a host's process id, not 'abc'");
        assertThatThrownBy(() -> parse("poolmon", "1", "2")).isInstanceOf(UsageException.class);
    }
}
