package io.virta.runtime.sql;

import io.virta.runtime.sql.ast.Statement;
import java.util.Objects;

/**
 * One statement of a script: its own text (without the separating semicolon) and its AST.
 *
 * @param text the statement exactly as written in the script, so it can be stored and parsed again
 *     alone
 * @param statement its AST; positions are those within the whole script
 */
public record ScriptStatement(String text, Statement statement) {
    public ScriptStatement {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(statement, "statement");
    }
}
