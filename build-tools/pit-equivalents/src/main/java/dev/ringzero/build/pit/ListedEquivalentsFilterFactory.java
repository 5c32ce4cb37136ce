package dev.ringzero.build.pit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.pitest.mutationtest.build.InterceptorParameters;
import org.pitest.mutationtest.build.MutationInterceptor;
import org.pitest.mutationtest.build.MutationInterceptorFactory;
import org.pitest.plugin.Feature;
import org.pitest.plugin.FeatureParameter;

/**
 * PIT's feature {@code EQUIVALENTS(file[...] report[...])}: leaves out the mutants the equivalents file pins, and
 * writes each one it left out to the report, which the floor reads (root pom, "Mutation testing").
 */
public final class ListedEquivalentsFilterFactory implements MutationInterceptorFactory {

    static final FeatureParameter FILE = FeatureParameter.named("file").withDescription("the equivalents file");
    static final FeatureParameter REPORT = FeatureParameter.named("report")
            .withDescription("where to write the mutants left out, one a line");

    @Override
    public String description() {
        return "Leaves out the equivalent mutants a checked-in file pins by instruction";
    }

    @Override
    public Feature provides() {
        return Feature.named("EQUIVALENTS").withOnByDefault(false).withDescription(description())
                .withParameter(FILE).withParameter(REPORT);
    }

    @Override
    public MutationInterceptor createInterceptor(InterceptorParameters params) {
        Path file = params.getString(FILE).map(Path::of)
                .orElseThrow(() -> new IllegalArgumentException("EQUIVALENTS needs file[the equivalents file]"));
        Path report = params.getString(REPORT).map(Path::of)
                .orElseThrow(() -> new IllegalArgumentException("EQUIVALENTS needs report[where to write what it left out]"));
        try {
            return new ListedEquivalentsFilter(EquivalentsFile.read(file), LeftOut.at(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
