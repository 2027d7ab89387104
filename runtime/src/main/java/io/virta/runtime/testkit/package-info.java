/**
 * A synchronous test kit for Virta SQL: {@link io.virta.runtime.testkit.PipelineTestDriver} runs
 * statements and records with explicit event times through the pure operators, with a manual
 * processing-time clock. No broker, no cluster, no threads. Users can test their own SQL with it.
 */
package io.virta.runtime.testkit;
