package dev.ben.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reconcile's progress guarantee on real parts (a delaying HTTP status API, idempotency records and cursor on
 * dynalite): runs cut short by their time budget move forward, and no record is looked up twice before every record
 * was looked up once. The figures at scale (2,000 records, 300 ms) are the benchmark's
 * ({@code ReconcileProgressBenchmark}, docs/receiver.md).
 */
@ExtendWith(LocalAwsExtension.class)
class ReconcileProgressIT {

    @Test
    void boundedRuns_moveForward_noRecordCheckedTwiceBeforeAllCheckedOnce_eachMissedEventAppliedOnce(LocalAws aws)
            throws Exception {
        ProgressRig rig = new ProgressRig(aws, "prog" + UUID.randomUUID().toString().substring(0, 6) + "-", 120,
                Duration.ofMillis(50), 4, 10);
        try {
            List<ProgressRig.RunFigures> runs = rig.runUntilOneRoundAndOneMore(Duration.ofMillis(600), 40);

            List<String> asked = rig.asked();
            runs.forEach(r -> System.out.printf("progress IT: run %d %s in %d ms, cursor %s, distinct so far %d%n",
                    r.run(), r.summary().asMap(), r.millis(), r.cursorAfter().orElse("-"), r.distinctSoFar()));
            assertThat(runs.size()).as("several bounded runs were needed").isGreaterThan(2);
            assertThat(asked.subList(0, 120)).doesNotHaveDuplicates();
            assertThat(asked.subList(120, 124)).as("the next round starts at the first page (lookups race)")
                    .allMatch(id -> id.compareTo("rec-00010") < 0);
            assertThat(runs).allSatisfy(r -> assertThat(r.summary().checked()).isPositive());
            for (int i = 1; i < runs.size() - 1; i++) {
                assertThat(runs.get(i).distinctSoFar()).isGreaterThan(runs.get(i - 1).distinctSoFar());
            }
            assertThat(runs.get(runs.size() - 2).summary().stop()).isEqualTo(ReconcileSummary.Stop.END_OF_ROUND);
            assertThat(rig.effects).as("every tenth record had one missed event, applied once").hasValue(12);
            assertThat(runs.getLast().summary().replayed()).isPositive();
        } finally {
            rig.close();
        }
    }
}
