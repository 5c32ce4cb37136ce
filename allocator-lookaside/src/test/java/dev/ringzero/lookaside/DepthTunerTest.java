package dev.ringzero.lookaside;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link DepthTuner#computeDepth}: nt-semantics §1.3's worked vectors and the edges of its arithmetic. */
class DepthTunerTest {

    @ParameterizedTest(name = "Depth {0}, {2} allocs, {3} misses -> {5}: {6}")
    @CsvSource(delimiter = '|', textBlock = """
            # depth | max  | allocs | misses | verifier | expected | why
               4    | 256  | 1000   | 100    | false    | 21       | ratio 100: 100*252/2000+5 = 17
              21    | 256  | 1000   | 0      | false    | 20       | ratio 0 < 5: shrink by one
              20    | 256  | 10     | 0      | false    | 10       | 10 < 75 allocations: idle, shrink by ten
              10    | 256  | 0      | 0      | false    | 4        | idle, floored at 4
               4    | 256  | 1000   | 1000   | false    | 34       | ratio 1000: 131, capped at 30
               4    | 256  | 759    | 534    | false    | 34       | nt!CcTwilightLookasideList: ratio 703, 93, capped at 30
               4    | 256  | 74     | 74     | false    | 4        | one short of the threshold: idle
               4    | 256  | 75     | 75     | false    | 34       | at the threshold: busy
             250    | 256  | 1000   | 1000   | false    | 256      | growth stops at MaximumDepth
              30    | 256  | 1000   | 4      | false    | 29       | ratio 4: below 5 per mille
              30    | 256  | 1000   | 5      | false    | 35       | ratio 5: 5*226/2000+5 = 5
               4    | 1024 | 1000   | 500    | false    | 34       | a 1024 ceiling: 500*1020/2000+5 = 260, capped
               4    | 256  | 100    | 300    | false    | 34       | more misses than allocates (racy counters): harmless
              34    | 256  | 1000   | 1000   | true     | 0        | the verifier: ExMinimumLookasideDepth 0
               7    | 65535| 1000   | 1000   | false    | 7        | MaximumDepth 0xFFFF: never tuned
               7    | 65535| 1000   | 1000   | true     | 7        | ... not even by the verifier rule
            """)
    void computesNtsDepth(int depth, int max, int allocs, int misses, boolean verifier, int expected, String why) {
        assertThat(DepthTuner.computeDepth(depth, max, allocs, misses, DepthTuner.SCAN_PERIOD, verifier)).as(why)
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "Depth 30, 0x{0} allocs, 0x{1} misses -> {2}")
    @CsvSource({
            "FFFFFFFF, 0, 29",         // unsigned: 4 billion allocations are busy, not negative and idle (20)
            "80000000, 01000000, 29",  // misses*1000 wraps in 32 bits: ratio 1, not 7 (which would grow to 35)
            "0000004B, 00000000, 29"}) // exactly 75: busy
    void computesIn32BitUnsignedArithmetic(String allocatesHex, String missesHex, int expected) {
        int allocates = Integer.parseUnsignedInt(allocatesHex, 16);
        int misses = Integer.parseUnsignedInt(missesHex, 16);
        assertThat(DepthTuner.computeDepth(30, 256, allocates, misses, DepthTuner.SCAN_PERIOD, false)).isEqualTo(expected);
    }
}
