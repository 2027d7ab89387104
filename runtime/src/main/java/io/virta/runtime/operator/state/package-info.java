/**
 * The per-key state values of the operators: immutable records that Jackson serializes, so the
 * actor hosting a key can persist and snapshot them. {@link
 * io.virta.runtime.operator.state.AggregateState} is the state of aggregations, windowed or not.
 */
package io.virta.runtime.operator.state;
