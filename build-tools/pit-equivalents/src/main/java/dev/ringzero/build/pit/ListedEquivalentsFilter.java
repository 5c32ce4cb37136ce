package dev.ringzero.build.pit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.pitest.bytecode.analysis.ClassTree;
import org.pitest.mutationtest.build.InterceptorType;
import org.pitest.mutationtest.build.MutationInterceptor;
import org.pitest.mutationtest.engine.Mutater;
import org.pitest.mutationtest.engine.MutationDetails;

/** Drops the mutants a pinned equivalents line names, before PIT runs any test against them. */
final class ListedEquivalentsFilter implements MutationInterceptor {

    private final List<Equivalent> pinned;
    private final LeftOut leftOut;

    ListedEquivalentsFilter(List<Equivalent> equivalents, LeftOut leftOut) {
        this.pinned = equivalents.stream().filter(Equivalent::pinned).toList();
        this.leftOut = leftOut;
    }

    @Override
    public InterceptorType type() {
        return InterceptorType.FILTER;
    }

    @Override
    public void begin(ClassTree clazz) {
    }

    @Override
    public Collection<MutationDetails> intercept(Collection<MutationDetails> mutations, Mutater m) {
        List<MutationDetails> kept = new ArrayList<>(mutations.size());
        for (MutationDetails d : mutations) {
            String clazz = d.getClassName().asJavaName();
            if (pinned.stream().anyMatch(e -> e.pins(clazz, d.getMethod(), d.getDescription(), d.getFirstIndex()))) {
                leftOut.add(new LeftOut.Mutant(clazz, d.getMethod(), d.getLineNumber(), d.getDescription(), d.getFirstIndex()));
            } else {
                kept.add(d);
            }
        }
        return kept;
    }

    @Override
    public void end() {
        leftOut.write();
    }
}
