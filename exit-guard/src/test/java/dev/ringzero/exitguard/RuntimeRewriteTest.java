package dev.ringzero.exitguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LoadInstruction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rewrite of {@code java.lang.Runtime}'s class file, without a JVM to load it into (RuntimeGuardIT does that). */
class RuntimeRewriteTest {

    private static final ClassFile CF = ClassFile.of();

    @Test
    void exitAndHaltShouldFirstPassTheirStatusAndKindToTheGate() throws IOException {
        ClassModel rewritten = CF.parse(RuntimeRewrite.rewrite(runtimeClassFile()));

        assertThat(firstInstructions(method(rewritten, "exit"), 3)).containsExactly("iload 1", "const 0",
                "invokestatic dev/ringzero/exitguard/ExitGate.check(IZ)V");
        assertThat(firstInstructions(method(rewritten, "halt"), 3)).containsExactly("iload 1", "const 1",
                "invokestatic dev/ringzero/exitguard/ExitGate.check(IZ)V");
    }

    @Test
    void theOriginalBodiesAndEveryOtherMethodShouldStayAsTheyWere() throws IOException {
        ClassModel original = CF.parse(runtimeClassFile());
        ClassModel rewritten = CF.parse(RuntimeRewrite.rewrite(runtimeClassFile()));

        assertThat(rewritten.methods()).hasSameSizeAs(original.methods());
        assertThat(rewritten.fields()).hasSameSizeAs(original.fields());
        for (MethodModel m : original.methods()) {
            List<String> before = firstInstructions(m, Integer.MAX_VALUE);
            List<String> after = firstInstructions(method(rewritten, m.methodName().stringValue(), m.methodType().stringValue()),
                    Integer.MAX_VALUE);
            boolean guarded = m.methodType().equalsString("(I)V")
                    && (m.methodName().equalsString("exit") || m.methodName().equalsString("halt"));
            assertThat(after).as(m.methodName() + m.methodType().stringValue())
                    .isEqualTo(guarded ? concat(after.subList(0, 3), before) : before);
        }
    }

    @Test
    void aClassWithoutExitAndHaltShouldBeRefusedNamingWhatIsMissing() throws IOException {
        byte[] notRuntime;
        try (InputStream in = Object.class.getResourceAsStream("/java/lang/Object.class")) {
            notRuntime = in.readAllBytes();
        }
        assertThatThrownBy(() -> RuntimeRewrite.rewrite(notRuntime)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java/lang/Object has no instance method exit(int) returning void with code to rewrite");
    }

    private static byte[] runtimeClassFile() throws IOException {
        try (InputStream in = Object.class.getResourceAsStream("/java/lang/Runtime.class")) {
            return in.readAllBytes();
        }
    }

    private static MethodModel method(ClassModel c, String name) {
        return method(c, name, "(I)V");
    }

    private static MethodModel method(ClassModel c, String name, String descriptor) {
        return c.methods().stream().filter(m -> m.methodName().equalsString(name) && m.methodType().equalsString(descriptor))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + descriptor));
    }

    /** The first {@code n} instructions of a method, as text that ignores constant-pool indexes and offsets. */
    private static List<String> firstInstructions(MethodModel m, int n) {
        if (m.code().isEmpty()) {
            return List.of();
        }
        return m.code().get().elementStream().filter(e -> e instanceof Instruction).map(RuntimeRewriteTest::describe)
                .limit(n).toList();
    }

    private static String describe(CodeElement e) {
        return switch (e) {
            case LoadInstruction l -> l.typeKind().upperBound().displayName().charAt(0) + "load " + l.slot();
            case ConstantInstruction c -> "const " + c.constantValue();
            case InvokeInstruction i -> i.opcode().name().toLowerCase() + " " + i.owner().asInternalName() + "." + i.name()
                    + i.type().stringValue();
            default -> e.toString().replaceAll("\\[\\d+]", "");
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
