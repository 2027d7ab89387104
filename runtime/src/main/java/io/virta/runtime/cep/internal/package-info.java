/**
 * INTERNAL API: the pattern IR ({@link io.virta.runtime.cep.internal.Regex}) that both SQL {@code
 * MATCH_RECOGNIZE} and the Java {@link io.virta.runtime.cep.Pattern} compile to, the immutable
 * automaton built from it ({@link io.virta.runtime.cep.internal.Nfa}), and the operator that runs
 * it over per-key {@link io.virta.runtime.operator.state.CepState}.
 */
package io.virta.runtime.cep.internal;
