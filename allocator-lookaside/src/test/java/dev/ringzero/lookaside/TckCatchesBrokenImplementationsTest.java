package dev.ringzero.lookaside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.ringzero.api.memory.SLists;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.SListChains;
import dev.ringzero.tck.LookasideListsContract;
import dev.ringzero.tck.PoolUnderTest;
import dev.ringzero.tck.TestExecutivePool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The TCK (allocator-tck's {@link LookasideListsContract}) fails a deliberately broken implementation, naming the
 * rule it breaks: run here through the JUnit Platform launcher, as a build would run it, on two policies that each
 * break one of {@link LookasideCache}'s rules — and passes {@code nt}'s own policy run the same way, so the failures
 * are the breakage's and not the harness's.
 */
class TckCatchesBrokenImplementationsTest {

    /** nt's policy, but a free caches whatever {@code Depth} says: Depth no longer governs what is cached. */
    static final class IgnoresDepth implements LookasideCache {
        private final LookasideListHandle list;
        private final NtLookasideList nt;
        private final SLists slists;

        IgnoresDepth(LookasideListHandle list) {
            this.list = list;
            this.nt = new NtLookasideList(list);
            this.slists = new SLists(list.memory());
        }

        @Override
        public int allocate() {
            return nt.allocate();
        }

        @Override
        public void free(int entry) {
            slists.push(list.header(), entry); // the bug: no depth check
            LookasideHeader.setTotalFrees(list.header(), LookasideHeader.totalFrees(list.header()) + 1);
        }
    }

    /** nt's policy, but a free past Depth forgets the entry instead of handing it to the Free routine: a leak. */
    static final class LosesEntries implements LookasideCache {
        private final LookasideListHandle list;
        private final NtLookasideList nt;

        LosesEntries(LookasideListHandle list) {
            this.list = list;
            this.nt = new NtLookasideList(list);
        }

        @Override
        public int allocate() {
            return nt.allocate();
        }

        @Override
        public void free(int entry) {
            var h = list.header();
            boolean cached = SListChains.pushBelowDepth(h, list.memory(), entry, LookasideHeader.depth(h));
            LookasideHeader.setTotalFrees(h, LookasideHeader.totalFrees(h) + 1);
            if (!cached) {
                LookasideHeader.setFreeMisses(h, LookasideHeader.freeMisses(h) + 1); // the bug: no freeToRoutine
            }
        }
    }

    /** Runs the contract for one policy under a name other than nt's, on the stand-in pool (fast). */
    abstract static class Broken extends LookasideListsContract {
        @Override
        protected PoolUnderTest newPool() {
            return new TestExecutivePool();
        }

        static LookasidePolicy policy(String name, java.util.function.Function<LookasideListHandle, LookasideCache> make) {
            return new LookasidePolicy() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public LookasideCache newCache(LookasideListHandle list) {
                    return make.apply(list);
                }
            };
        }
    }

    /** Not a test class of its own (surefire leaves nested classes alone): launched below. */
    static final class IgnoresDepthUnderTheTck extends Broken {
        @Override
        protected LookasidePolicy policy() {
            return policy("ignores-depth", IgnoresDepth::new);
        }
    }

    static final class LosesEntriesUnderTheTck extends Broken {
        @Override
        protected LookasidePolicy policy() {
            return policy("loses-entries", LosesEntries::new);
        }
    }

    static final class NtUnderTheTck extends Broken {
        @Override
        protected LookasidePolicy policy() {
            return policy("nt-again", NtLookasideList::new);
        }
    }

    /** The names of the contract's test methods that failed when {@code suite} ran; and how many ran. */
    record Run(List<String> failed, long succeeded) {
    }

    static Run launch(Class<?> suite) {
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener failures = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED
                        && id.getSource().orElse(null) instanceof MethodSource m) {
                    failed.add(m.getMethodName());
                }
            }
        };
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(), summary, failures);
        return new Run(List.copyOf(failed), summary.getSummary().getTestsSucceededCount());
    }

    @Test
    void aPolicyThatIgnoresDepthFailsTheDepthRulesAndTheVerifiersDepthZero() {
        Run run = launch(IgnoresDepthUnderTheTck.class);
        assertThat(run.failed()).contains("depthCapsTheCachedEntriesAndTheRestGoBackToThePool",
                "aVerifiedOwnersListHasDepthZeroSoEveryAllocateAndFreeMisses", "setDepthZeroCachesNothing");
        assertThat(run.succeeded()).as("the rest of the suite ran and passed").isGreaterThan(50);
    }

    @Test
    void aPolicyThatLosesEntriesFailsTheDepthCapWhereTheyShouldReachThePool() {
        Run run = launch(LosesEntriesUnderTheTck.class);
        assertThat(run.failed()).contains("depthCapsTheCachedEntriesAndTheRestGoBackToThePool");
    }

    @Test
    void ntsOwnPolicyUnderAnotherNamePassesTheSameRun() {
        Run run = launch(NtUnderTheTck.class);
        assertThat(run.failed()).isEmpty();
        assertThat(run.succeeded()).isGreaterThan(50);
    }
}
