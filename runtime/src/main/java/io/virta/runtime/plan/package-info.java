/**
 * From statements to plans: {@link io.virta.runtime.plan.Planner} type-checks a statement against a
 * {@link io.virta.runtime.plan.Catalog} and compiles it into a {@link
 * io.virta.runtime.plan.QueryPlan} of {@link io.virta.runtime.plan.Step}s.
 */
package io.virta.runtime.plan;
