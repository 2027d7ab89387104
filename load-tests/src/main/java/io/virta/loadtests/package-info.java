/**
 * Benchmark harnesses run by hand (never by the test suite); each measures Virta next to a peer in
 * one run.
 */
package io.virta.loadtests;
