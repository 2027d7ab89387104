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
     * One statement of each main kind, parsed by {@link #warmUp}: declarations, windowed and joined
     * queries, patterns, connectors, inserts and pull queries.
     */
    private static final String WARM_UP_SCRIPT =
            """
            CREATE STREAM w_clicks (usr STRING, page STRING, amount DOUBLE, ts TIMESTAMP)
              WITH (KEY='usr', TIMESTAMP='ts');
            CREATE TABLE w_users (usr STRING PRIMARY KEY, country STRING);
            CREATE STREAM w_big AS SELECT usr, UCASE(page) AS page FROM w_clicks
              WHERE amount > 10 AND page LIKE '%a%' EMIT CHANGES;
            CREATE TABLE w_counts AS SELECT usr, WINDOWSTART AS ws, COUNT(*) AS n, SUM(amount) AS s
              FROM w_clicks WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY usr EMIT FINAL;
            CREATE TABLE w_hops AS SELECT usr, AVG(amount) AS a FROM w_clicks
              WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY usr EMIT CHANGES;
            CREATE TABLE w_sessions AS SELECT usr, COUNT(*) AS n FROM w_clicks
              WINDOW SESSION (30 SECONDS) GROUP BY usr EMIT CHANGES;
            CREATE STREAM w_enriched AS SELECT c.usr, u.country FROM w_clicks c
              LEFT JOIN w_users u ON c.usr = u.usr EMIT CHANGES;
            CREATE STREAM w_pairs AS SELECT a.usr, b.page FROM w_clicks a
              JOIN w_clicks b ON a.usr = b.usr WITHIN 1 HOUR EMIT CHANGES;
            CREATE STREAM w_pattern AS SELECT usr FROM w_clicks
            MATCH_RECOGNIZE (
              PARTITION BY usr ORDER BY ts
              MEASURES FIRST(A.ts) AS first_ts, LAST(B.ts) AS last_ts
              PATTERN (A B+)
              DEFINE A AS A.amount > 1, B AS B.amount > A.amount
            ) EMIT CHANGES;
            CREATE SOURCE CONNECTOR w_in WITH ('type' = 'kafka', 'topic' = 't', 'stream' = 'w_clicks');
            INSERT INTO w_clicks (usr, page, amount, ts) VALUES ('u', 'p', 1.5, '2024-01-01T00:00:00Z');
            SELECT * FROM w_counts WHERE usr = 'u';
            """;

    /**
     * Parses a script of every main statement kind once and discards it, so that the first
     * statement a node receives does not pay the parser's start: the grammar's state machine is
     * deserialized and its prediction cache, shared by all parsers, filled on first use (about half
     * a second on a cold JVM). Safe to call from any thread, any number of times.
     */
    public static void warmUp() {
        parseScript(WARM_UP_SCRIPT);
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
