package ${package};

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.tck.LookasideListsContract;

/**
 * The lookaside contract suite (allocator-tck) for {@code ${policyName}}, on the real executive pool (the suite's
 * default; override {@code newPool()} to run it on the stand-in). Every implementation runs it before it is deployed.
 */
class ${className}TckTest extends LookasideListsContract {

    @Override
    protected LookasidePolicy policy() {
        return new ${className}();
    }
}
