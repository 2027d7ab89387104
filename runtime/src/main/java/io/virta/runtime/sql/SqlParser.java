package io.virta.runtime.sql;

import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.sql.internal.StatementBuilder;
import io.virta.runtime.sql.internal.ThrowingErrorListener;
import io.virta.runtime.sql.internal.antlr.VirtaSqlLexer;
import io.virta.runtime.sql.internal.antlr.VirtaSqlParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

/**
 * Parses Virta's streaming SQL (an ANTLR 4 grammar) into the AST of {@link
 * io.virta.runtime.sql.ast}. Stateless and thread-safe.
 *
 * <pre>{@code
 * Statement s = SqlParser.parse(
 *     "CREATE STREAM big AS SELECT * FROM purchases WHERE amount > 1000 EMIT CHANGES;");
 * }</pre>
 */
public final class SqlParser {

    private SqlParser() {}

    /**
     * Parses exactly one statement; a trailing semicolon is optional.
     *
     * @param sql the statement text
     * @return its AST, with positions
     * @throws SqlSyntaxException at the first syntax error, with line, column and expected tokens
     */
    public static Statement parse(String sql) {
        VirtaSqlParser parser = parser(sql);
        return new StatementBuilder().statement(parser.singleStatement().statement());
    }

    /**
     * Parses a script of statements separated by semicolons.
     *
     * @param sql the script
     * @return the statements, in order
     * @throws SqlSyntaxException at the first syntax error
     */
    public static List<Statement> parseAll(String sql) {
        VirtaSqlParser parser = parser(sql);
        StatementBuilder builder = new StatementBuilder();
        List<Statement> out = new ArrayList<>();
        for (VirtaSqlParser.StatementContext s : parser.statements().statement()) {
            out.add(builder.statement(s));
        }
        return out;
    }

    /**
     * Parses a script like {@link #parseAll}, keeping each statement's own text.
     *
     * @param sql the script
     * @return the statements, in order, each with its text
     * @throws SqlSyntaxException at the first syntax error, positioned within the script
     */
    public static List<ScriptStatement> parseScript(String sql) {
        VirtaSqlParser parser = parser(sql);
        StatementBuilder builder = new StatementBuilder();
        List<ScriptStatement> out = new ArrayList<>();
        for (VirtaSqlParser.StatementContext s : parser.statements().statement()) {
            String text =
                    sql.substring(s.getStart().getStartIndex(), s.getStop().getStopIndex() + 1);
            out.add(new ScriptStatement(text, builder.statement(s)));
        }
        return out;
    }

    /**
     * Parses a standalone expression, e.g. {@code amount > 1000 AND region = 'EU'}.
     *
     * @param sql the expression text
     * @return its AST
     * @throws SqlSyntaxException at the first syntax error
     */
    public static Expression parseExpression(String sql) {
        VirtaSqlParser parser = parser(sql);
        return new StatementBuilder().expression(parser.standaloneExpression().expression());
    }

    private static VirtaSqlParser parser(String sql) {
        VirtaSqlLexer lexer = new VirtaSqlLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        lexer.addErrorListener(ThrowingErrorListener.INSTANCE);
        VirtaSqlParser parser = new VirtaSqlParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(ThrowingErrorListener.INSTANCE);
        return parser;
    }
}
