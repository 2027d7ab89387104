package io.virta.runtime.plan;

import io.virta.runtime.operator.Row;
import java.util.List;
import java.util.Optional;

/**
 * A compiled persistent query: read {@code source}, run {@code steps} in order, write to {@code
 * sink}. Rows flow through the stateless steps one by one; at most one {@link Step.Stateful} step
 * (an aggregate, a pattern match or a join) exists. A join reads a second source (see {@link
 * Step.Join}): the plan's {@code source} is its left input and its steps are the join alone.
 *
 * @param source the input
 * @param sink the output's description (its name, kind and columns)
 * @param steps the steps, in order
 */
public record QueryPlan(SourceDescription source, SourceDescription sink, List<Step> steps) {

    /** Copies the steps. */
    public QueryPlan {
        steps = List.copyOf(steps);
    }

    /**
     * @return the aggregation step, if the query aggregates
     */
    public Optional<Step.Aggregate> aggregate() {
        return steps.stream()
                .filter(Step.Aggregate.class::isInstance)
                .map(Step.Aggregate.class::cast)
                .findFirst();
    }

    /**
     * @return the keyed stateful step, whatever its kind (aggregate, pattern match or join), if
     *     any; its {@link Step.Stateful#stateClass()} is what the host serializes per key
     */
    public Optional<Step.Stateful> stateful() {
        return steps.stream()
                .filter(Step.Stateful.class::isInstance)
                .map(Step.Stateful.class::cast)
                .findFirst();
    }

    /**
     * @return the one-input keyed stateful step (aggregate or pattern match), if any
     */
    public Optional<Step.Keyed> keyed() {
        return steps.stream()
                .filter(Step.Keyed.class::isInstance)
                .map(Step.Keyed.class::cast)
                .findFirst();
    }

    /**
     * @return the join step, if the query joins two relations
     */
    public Optional<Step.Join> join() {
        return steps.stream()
                .filter(Step.Join.class::isInstance)
                .map(Step.Join.class::cast)
                .findFirst();
    }

    /**
     * @return every source the query reads: {@link #source()}, then a join's right input
     */
    public List<SourceDescription> sources() {
        return join().map(j -> List.of(source, j.right().source())).orElse(List.of(source));
    }

    /**
     * @return the MATCH_RECOGNIZE step, if the query has one
     */
    public Optional<Step.Match> match() {
        return steps.stream()
                .filter(Step.Match.class::isInstance)
                .map(Step.Match.class::cast)
                .findFirst();
    }

    /**
     * @return whether a step re-keys the rows (the cluster must route there)
     */
    public boolean rekeys() {
        return steps.stream().anyMatch(Step.Rekey.class::isInstance);
    }

    /**
     * Runs the stateless steps (filter, project, re-key) on one input row, in order.
     *
     * @param input a row of the source
     * @return the row to hand to the aggregate (or to the sink when there is none), or empty when a
     *     filter dropped it
     */
    public Optional<Row> applyStateless(Row input) {
        Row row = input;
        for (Step s : steps) {
            if (s instanceof Step.Filter f) {
                if (!f.predicate().test(row)) {
                    return Optional.empty();
                }
            } else if (s instanceof Step.Project p) {
                row = p.projection().apply(row);
            } else if (s instanceof Step.Rekey r) {
                row = row.withKey(r.key().apply(row));
            }
        }
        return Optional.of(row);
    }

    /**
     * @return one line per step, e.g. for {@code EXPLAIN}
     */
    public List<String> describe() {
        return steps.stream().map(Step::describe).toList();
    }
}
