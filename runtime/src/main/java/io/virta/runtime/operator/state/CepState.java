package io.virta.runtime.operator.state;

import io.virta.runtime.operator.Row;
import java.util.List;

/**
 * The state of one key of a pattern ({@code MATCH_RECOGNIZE} or {@link
 * io.virta.runtime.cep.Pattern}): an immutable value that Jackson serializes as is, so a host can
 * persist it like {@link AggregateState}. It is only meaningful with the compiled pattern that
 * produced it (automaton node numbers are stored), as Flink's NFA state is.
 *
 * <p>Rows go through three places: {@code buffer} (received, event time not yet passed by the
 * watermark, sorted by event time then arrival); processed rows get consecutive sequence numbers;
 * {@code retained} keeps the processed rows some run or candidate still refers to.
 *
 * @param buffer rows waiting for the watermark, sorted by event time, ties in arrival order
 * @param nextSeq the sequence number the next processed row gets
 * @param firstRetained the sequence number of {@code retained.get(0)}
 * @param retained processed rows from {@code firstRetained} to {@code nextSeq - 1}
 * @param runs live runs in preference order (earlier starts first)
 * @param candidates completed matches that wait for preferred runs or earlier starts, by start
 * @param skipFloor no match may start before this sequence number (set by AFTER MATCH SKIP)
 * @param lateRecords how many rows of this key arrived behind the watermark
 */
public record CepState(
        List<Row> buffer,
        long nextSeq,
        long firstRetained,
        List<Row> retained,
        List<PartialMatch> runs,
        List<PartialMatch> candidates,
        long skipFloor,
        long lateRecords) {

    /** The state of a key never seen. */
    public static final CepState EMPTY =
            new CepState(List.of(), 0, 0, List.of(), List.of(), List.of(), 0, 0);

    /** Copies the lists. */
    public CepState {
        buffer = List.copyOf(buffer);
        retained = List.copyOf(retained);
        runs = List.copyOf(runs);
        candidates = List.copyOf(candidates);
    }

    /**
     * @return how many partial matches the key holds (live runs plus waiting candidates)
     */
    public int partialMatches() {
        return runs.size() + candidates.size();
    }

    /**
     * @return how many rows the key holds (buffered plus retained)
     */
    public int rowsHeld() {
        return buffer.size() + retained.size();
    }
}
