/**
 * INTERNAL API: the join operators. Built by the planner or {@link io.virta.runtime.join.Joins};
 * hosts see them only as {@link io.virta.runtime.operator.KeyedJoinOperator}.
 */
package io.virta.runtime.join.internal;
