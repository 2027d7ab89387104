/**
 * Virta's streaming SQL: {@link io.virta.runtime.sql.SqlParser} turns text into the AST of {@link
 * io.virta.runtime.sql.ast}; errors are {@link io.virta.runtime.sql.SqlSyntaxException} and {@link
 * io.virta.runtime.sql.SqlPlanningException}, both with 1-based line and column.
 */
package io.virta.runtime.sql;
