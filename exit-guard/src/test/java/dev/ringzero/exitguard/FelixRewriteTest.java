package dev.ringzero.exitguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rewriting of Felix's classes, on their real class files (Felix is on this module's test class path). */
class FelixRewriteTest {

    private static byte[] classFile(String internalName) throws Exception {
        try (InputStream in = org.osgi.framework.Bundle.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            assertThat(in).as(internalName).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void eachPublicLifecycleMethodOfABundleAndTheFrameworkShouldCallTheGateFirst() throws Exception {
        for (String name : List.of(FelixRewrite.BUNDLE, FelixRewrite.FRAMEWORK)) {
            assertThat(FelixRewrite.rewrites(name)).isTrue();
            ClassModel rewritten = ClassFile.of().parse(FelixRewrite.rewrite(classFile(name)));
            String owner = name.equals(FelixRewrite.FRAMEWORK) ? "Framework." : "Bundle.";
            List<MethodModel> gated = rewritten.methods().stream().filter(m -> FelixRewrite.GATED.contains(m.methodName().stringValue())
                    && (m.flags().flagsMask() & ClassFile.ACC_PUBLIC) != 0 && m.code().isPresent()).toList();
            assertThat(gated.stream().map(m -> m.methodName().stringValue()).distinct())
                    .as(name).contains("start", "stop", "update", "uninstall", "getBundleContext", "adapt");
            for (MethodModel m : gated) {
                var code = m.code().orElseThrow().elementList().stream()
                        .filter(e -> e instanceof ConstantInstruction || e instanceof InvokeInstruction).limit(2).toList();
                assertThat(code.get(0)).as("%s.%s", name, m.methodName()).isInstanceOfSatisfying(ConstantInstruction.class,
                        c -> assertThat(c.constantValue()).isEqualTo(owner + m.methodName().stringValue()));
                assertThat(code.get(1)).isInstanceOfSatisfying(InvokeInstruction.class, i -> {
                    assertThat(i.owner().asInternalName()).isEqualTo("dev/ringzero/exitguard/LifecycleGate");
                    assertThat(i.name().stringValue()).isEqualTo("check");
                });
            }
        }
        assertThat(FelixRewrite.rewrites("org/apache/felix/framework/BundleContextImpl")).isFalse();
    }

    @Test
    void aClassWithoutStopShouldNotBeTakenForFelix() {
        byte[] other = ClassFile.of().build(java.lang.constant.ClassDesc.of("x.NotFelix"), c -> { });
        assertThatThrownBy(() -> FelixRewrite.rewrite(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no public stop()");
    }
}
