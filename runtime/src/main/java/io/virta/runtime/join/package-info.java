/**
 * Joins as pure two-input operators ({@link io.virta.runtime.operator.KeyedJoinOperator}): the
 * stream-stream interval join and the stream-table join, their specs ({@link
 * io.virta.runtime.join.JoinType}, {@link io.virta.runtime.join.JoinWindow}) and factories ({@link
 * io.virta.runtime.join.Joins}) for users embedding the runtime.
 */
package io.virta.runtime.join;
