package io.virta.actors.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Statement;
import java.util.Optional;

/**
 * INTERNAL API: a query that answers once, {@code SELECT ... FROM <table> WHERE <key column> =
 * <value> [AND ...]}, planned against the catalog: which table and key to read, and how to turn
 * that key's row into the answer. Pure; the caller fetches the row.
 *
 * @param table the table's name as the catalog spells it
 * @param key the key the WHERE clause names
 * @param plan the query's filter and projection over the table's rows
 */
public record PullQuery(String table, String key, QueryPlan plan) {

    /**
     * Parses and plans {@code sql}.
     *
     * @param tables names the catalog knows as tables made by an aggregate
     * @throws io.virta.runtime.sql.SqlException on a syntax or planning error, at its position
     */
    public static PullQuery plan(
            String sql, Catalog catalog, java.util.function.Predicate<String> tables) {
        Statement statement = SqlParser.parse(sql);
        if (!(statement instanceof Statement.Select select)) {
            throw new SqlPlanningException(
                    statement.pos(),
                    "a query is a SELECT ... FROM <table> WHERE <key> = ...; statements that make"
                            + " or change things go to /v1/sql");
        }
        if (select.query().emit() != null) {
            throw new SqlPlanningException(
                    select.pos(),
                    "EMIT makes a push query: subscribe to the table's stream instead"
                            + " (GET /v1/streams/<table>/subscribe)");
        }
        QueryPlan plan = Planner.plan(select, catalog);
        String table = plan.source().name();
        if (!tables.test(table)) {
            throw new SqlPlanningException(
                    select.query().from().pos(),
                    "'"
                            + table
                            + "' is not a table made by an aggregate (CREATE TABLE ... AS SELECT ..."
                            + " GROUP BY): only those answer queries by key");
        }
        String keyColumn = plan.source().keyColumns().get(0);
        String key =
                keyValue(select.query().where(), keyColumn)
                        .orElseThrow(
                                () ->
                                        new SqlPlanningException(
                                                select.query().where() == null
                                                        ? select.pos()
                                                        : select.query().where().pos(),
                                                "a query names the key it reads: WHERE "
                                                        + keyColumn
                                                        + " = '<key>'"));
        return new PullQuery(table, key, plan);
    }

    /** The answer for {@code row}, the key's row read from the table: empty when filtered out. */
    public Optional<ObjectNode> answer(ObjectNode row, long eventTime) {
        return plan.applyStateless(Row.of(key, eventTime, row)).map(Row::value);
    }

    /** The value of {@code keyColumn = <literal>} in {@code where}, alone or in an AND. */
    private static Optional<String> keyValue(Expression where, String keyColumn) {
        if (where instanceof Expression.Binary b) {
            if (b.op() == Expression.BinaryOp.AND) {
                return keyValue(b.left(), keyColumn).or(() -> keyValue(b.right(), keyColumn));
            }
            if (b.op() == Expression.BinaryOp.EQ) {
                return literalFor(b.left(), b.right(), keyColumn)
                        .or(() -> literalFor(b.right(), b.left(), keyColumn));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> literalFor(
            Expression column, Expression value, String keyColumn) {
        if (!(column instanceof Expression.ColumnRef ref)
                || !ref.name().equalsIgnoreCase(keyColumn)) {
            return Optional.empty();
        }
        if (value instanceof Expression.StringLiteral s) {
            return Optional.of(s.value());
        }
        if (value instanceof Expression.IntegerLiteral i) {
            return Optional.of(Long.toString(i.value()));
        }
        return Optional.empty();
    }
}
