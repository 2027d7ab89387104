/**
 * INTERNAL API: expression type checking and compilation, scalar and aggregate function registries.
 * Use {@link io.virta.runtime.plan.Planner}.
 */
package io.virta.runtime.plan.internal;
