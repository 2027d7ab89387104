/**
 * Operators as pure functions over immutable per-key state: {@link
 * io.virta.runtime.operator.KeyedOperator}, the {@link io.virta.runtime.operator.Row} they consume
 * and emit, and {@link io.virta.runtime.operator.Transition}, what one step returns.
 */
package io.virta.runtime.operator;
