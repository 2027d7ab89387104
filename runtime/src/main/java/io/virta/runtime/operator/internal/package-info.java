/**
 * INTERNAL API: the aggregate operator and the aggregate functions it drives. Built by the planner;
 * hosts see them only as {@link io.virta.runtime.operator.KeyedOperator}.
 */
package io.virta.runtime.operator.internal;
