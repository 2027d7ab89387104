/**
 * The AST of Virta's streaming SQL: sealed interfaces with nested records, every node with its
 * position in the text.
 */
package io.virta.runtime.sql.ast;
