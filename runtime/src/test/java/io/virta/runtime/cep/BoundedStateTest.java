package io.virta.runtime.cep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Transition;
import io.virta.runtime.operator.state.CepState;
import io.virta.runtime.types.SqlValues;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** WITHIN keeps a key's state bounded however long the stream runs. */
class BoundedStateTest {

    @Test
    void aMillionEventsThroughAPatternWithWithinKeepTheStateBounded() {
        Pattern p =
                Pattern.begin("a")
                        .where(r -> r.value().get("t").asInt() == 0)
                        .next("b")
                        .where(r -> r.value().get("t").asInt() != 3)
                        .oneOrMore()
                        .next("c")
                        .where(r -> r.value().get("t").asInt() == 3)
                        .within(Duration.ofSeconds(10));
        KeyedOperator<CepState> op =
                p.operator(m -> SqlValues.NODES.objectNode().put("n", m.rows().size()));
        CepState s = op.initialState();
        Random rnd = new Random(42);
        long matches = 0;
        int maxRuns = 0;
        int maxRows = 0;
        ObjectNode[] values = new ObjectNode[4];
        for (int i = 0; i < 4; i++) {
            values[i] = SqlValues.NODES.objectNode().put("t", i);
        }
        for (int i = 0; i < 1_000_000; i++) {
            long t = i * 100L; // 10 rows a second: a WITHIN of 10 s spans 100 rows
            // a run starts at one row in 20 and rarely ends: only WITHIN bounds them
            int roll = rnd.nextInt(1000);
            int type = roll == 0 ? 3 : roll < 50 ? 0 : 1;
            Transition<CepState> tr = op.onRecord(s, Row.of("k", t, values[type]), t);
            matches += tr.outputs().size();
            s = tr.state();
            maxRuns = Math.max(maxRuns, s.partialMatches());
            maxRows = Math.max(maxRows, s.rowsHeld());
        }
        assertThat(matches).isPositive();
        // a start row of the last 10 s (100 rows) has at most two runs (in B+, or waiting for C);
        // rows are kept once, from the oldest live start on
        assertThat(maxRuns).isLessThanOrEqualTo(2 * 100 + 1);
        assertThat(maxRows).isLessThanOrEqualTo(101);
        assertThat(s.partialMatches()).isLessThanOrEqualTo(2 * 100 + 1);
    }
}
