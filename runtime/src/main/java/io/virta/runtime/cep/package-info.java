/**
 * Complex event processing: {@link io.virta.runtime.cep.Pattern}, a fluent, immutable pattern
 * specification in the style of Flink CEP, compiled into a pure {@link
 * io.virta.runtime.operator.KeyedOperator} whose per-key state ({@link
 * io.virta.runtime.operator.state.CepState}) the host persists. SQL {@code MATCH_RECOGNIZE}
 * compiles to the same automaton.
 *
 * <p>Semantics (both APIs): rows of a key are matched in event-time order (rows are buffered until
 * the watermark passes them; a row behind the watermark is late); among the matches that start at a
 * row, the preferred one is reported (SQL:2016 / regular-expression preference: alternatives in the
 * order written, greedy quantifiers prefer more rows, reluctant ones fewer); starts are tried in
 * row order and {@link io.virta.runtime.cep.AfterMatchSkip} says where the next attempt may start
 * after a match. See {@link io.virta.runtime.cep.Pattern} for the details.
 */
package io.virta.runtime.cep;
