package io.virta.runtime.operator.state;

import java.util.List;

/**
 * One run of a pattern automaton over a key's rows: where it started, which automaton node it waits
 * at and which variable each row since its start is bound to. A completed match (a candidate that
 * waits for preferred runs to finish) has {@code node = -1}.
 *
 * <p>The rows themselves are kept once in {@link CepState#retained()}; a run refers to them by
 * sequence number, so many runs over the same rows cost one copy of each row.
 *
 * @param start the sequence number of the run's first row
 * @param startTime the event time of its first row ({@code WITHIN} counts from here)
 * @param node the automaton node the run waits at, or -1 for a completed match
 * @param labels for each row from {@code start} on, the index of its variable, or -1 for a row
 *     skipped by relaxed contiguity
 */
public record PartialMatch(long start, long startTime, int node, List<Integer> labels) {

    /** Copies the labels. */
    public PartialMatch {
        labels = List.copyOf(labels);
    }

    /**
     * @return the sequence number of the run's last row
     */
    public long end() {
        return start + labels.size() - 1;
    }
}
