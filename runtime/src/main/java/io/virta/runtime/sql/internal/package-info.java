/**
 * INTERNAL API: the ANTLR-generated parser's glue (error listener, parse tree to AST). Use {@link
 * io.virta.runtime.sql.SqlParser}.
 */
package io.virta.runtime.sql.internal;
