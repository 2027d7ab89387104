package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.join.JoinType;
import io.virta.runtime.join.JoinWindow;
import io.virta.runtime.join.internal.IntervalJoinOperator;
import io.virta.runtime.join.internal.TableJoinOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.state.IntervalJoinState;
import io.virta.runtime.operator.state.TableJoinState;
import io.virta.runtime.plan.Column;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.plan.Step;
import io.virta.runtime.plan.internal.QueryCompiler.Output;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Query;
import io.virta.runtime.sql.ast.Statement.SourceKind;
import io.virta.runtime.types.SqlValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * INTERNAL API: compiles {@code SELECT ... FROM a JOIN b ON a.x = b.y [WITHIN ...]} into a plan of
 * one {@link Step.Join}. Stream-stream joins need WITHIN (an interval join); a TABLE on the right
 * makes a stream-table join on the table's key. The select list and WHERE are evaluated on each
 * joined pair; {@code SELECT *} takes the left columns then the right ones, a right column whose
 * name the left side already uses is renamed {@code <alias>_<name>}.
 */
public final class JoinCompiler {

    private JoinCompiler() {}

    /**
     * @param sinkName the output's name
     * @param sinkKind STREAM or TABLE
     * @param q the query, with a join
     * @param left the FROM source
     * @param right the JOIN source
     * @param properties the sink's WITH properties
     * @return the plan
     * @throws SqlPlanningException on an unsupported join or a semantic error
     */
    public static QueryPlan compile(
            String sinkName,
            SourceKind sinkKind,
            Query q,
            SourceDescription left,
            SourceDescription right,
            Map<String, String> properties) {
        Query.Join j = q.join();
        rejectOtherClauses(q);
        String la = q.from().alias();
        String ra = j.right().alias();
        if ((la == null ? left.name() : la).equalsIgnoreCase(ra == null ? right.name() : ra)) {
            throw new SqlPlanningException(
                    j.right().pos(),
                    "both sides of the join are called '"
                            + (ra == null ? right.name() : ra)
                            + "': give them aliases");
        }
        JoinScope scope = new JoinScope(left, la, right, ra, "SELECT");
        String[] on = onColumns(j.on(), scope);
        boolean table = right.kind() == SourceKind.TABLE;
        if (left.kind() == SourceKind.TABLE) {
            throw new SqlPlanningException(
                    q.from().pos(),
                    "a join reads a stream first: table-table and table-stream joins are not supported, put the stream in FROM");
        }
        JoinType type = JoinType.valueOf(j.type().name());
        if (table && type == JoinType.FULL) {
            throw new SqlPlanningException(j.pos(), "a stream-table join is INNER or LEFT");
        }
        if (table && j.before() != null) {
            throw new SqlPlanningException(
                    j.pos(),
                    "a stream-table join has no WITHIN: the stream row meets the table's current row");
        }
        if (!table && j.before() == null) {
            throw new SqlPlanningException(
                    j.pos(), "a stream-stream join needs WITHIN to bound what each side keeps");
        }
        if (table && !right.keyColumns().equals(List.of(on[1]))) {
            throw new SqlPlanningException(
                    j.on().pos(),
                    "a table is joined on its key: "
                            + right.name()
                            + " is keyed by "
                            + right.keyColumns());
        }
        Step.JoinInput li = input(left, la, on[0]);
        Step.JoinInput ri = input(right, ra, on[1]);
        List<Output> outs = outputs(q, left, la, right, ra, scope);
        TypedExpr where =
                q.where() == null
                        ? null
                        : QueryCompiler.booleanClause(
                                q.where(), new JoinScope(left, la, right, ra, "WHERE"), "WHERE");
        BiFunction<Row, Row, ObjectNode> projector =
                (l, r) -> {
                    Row any = l != null ? l : r;
                    long time =
                            Math.max(
                                    l == null ? Long.MIN_VALUE : l.eventTime(),
                                    r == null ? Long.MIN_VALUE : r.eventTime());
                    EvalContext ctx = JoinScope.pair(l, r, any.key(), time);
                    if (where != null) {
                        JsonNode w = where.eval(ctx);
                        if (SqlValues.isNull(w) || !w.booleanValue()) {
                            return null;
                        }
                    }
                    ObjectNode v = SqlValues.NODES.objectNode();
                    for (Output o : outs) {
                        v.set(o.name(), o.expr().eval(ctx));
                    }
                    return v;
                };
        List<String> names = outs.stream().map(Output::name).toList();
        Step.Join step =
                table
                        ? new Step.Join(
                                type,
                                li,
                                ri,
                                null,
                                names,
                                new TableJoinOperator(type, projector),
                                TableJoinState.class)
                        : joinStep(
                                type,
                                li,
                                ri,
                                JoinWindow.of(j.before(), j.after()),
                                names,
                                projector);
        List<String> keyColumns = new ArrayList<>();
        for (int i = 0; i < q.select().size() && i < outs.size(); i++) {
            if (q.select().get(i) instanceof Query.SingleColumn c
                    && c.expression() instanceof Expression.ColumnRef ref
                    && isJoinColumn(ref, scope, on)) {
                keyColumns.add(outs.get(i).name());
            }
        }
        return new QueryPlan(
                left,
                QueryCompiler.sink(sinkName, sinkKind, outs, keyColumns, left, properties),
                List.of(step));
    }

    private static Step.Join joinStep(
            JoinType type,
            Step.JoinInput li,
            Step.JoinInput ri,
            JoinWindow w,
            List<String> names,
            BiFunction<Row, Row, ObjectNode> projector) {
        return new Step.Join(
                type,
                li,
                ri,
                w,
                names,
                new IntervalJoinOperator(type, w, projector),
                IntervalJoinState.class);
    }

    private static boolean isJoinColumn(Expression.ColumnRef ref, JoinScope scope, String[] on) {
        String side = scope.side(ref.qualifier(), ref);
        return (side != JoinScope.RIGHT && ref.name().equalsIgnoreCase(on[0]))
                || (side != JoinScope.LEFT && ref.name().equalsIgnoreCase(on[1]));
    }

    private static Step.JoinInput input(SourceDescription s, String alias, String column) {
        boolean rekey = !s.keyColumns().equals(List.of(column));
        Function<Row, String> key =
                row -> {
                    JsonNode v =
                            SqlValues.coerce(
                                    row.value().get(column), s.column(column).orElseThrow().type());
                    return v.isValueNode() ? v.asText() : v.toString();
                };
        return new Step.JoinInput(s, alias, column, rekey, key);
    }

    /** The ON condition: {@code a.x = b.y}; returns the left column then the right column. */
    private static String[] onColumns(Expression on, JoinScope scope) {
        if (on instanceof Expression.Binary b
                && b.op() == Expression.BinaryOp.EQ
                && b.left() instanceof Expression.ColumnRef x
                && b.right() instanceof Expression.ColumnRef y) {
            String sx = scope.side(x.qualifier(), x);
            String sy = scope.side(y.qualifier(), y);
            if (sx != null && sy != null && !sx.equals(sy)) {
                Expression.ColumnRef l = sx.equals(JoinScope.LEFT) ? x : y;
                Expression.ColumnRef r = sx.equals(JoinScope.LEFT) ? y : x;
                scope.column(l);
                scope.column(r);
                return new String[] {columnName(scope, l, true), columnName(scope, r, false)};
            }
        }
        throw new SqlPlanningException(
                on.pos(),
                "JOIN ON must be an equality of a column of each side, qualified, e.g. a.id = b.id");
    }

    private static String columnName(JoinScope scope, Expression.ColumnRef ref, boolean left) {
        return scope.sideSource(left).column(ref.name()).map(Column::name).orElse(ref.name());
    }

    private static List<Output> outputs(
            Query q,
            SourceDescription left,
            String la,
            SourceDescription right,
            String ra,
            JoinScope scope) {
        ExpressionCompiler select = new ExpressionCompiler(scope);
        List<Output> outs = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Query.SelectItem item : q.select()) {
            if (item instanceof Query.AllColumns a) {
                String side = scope.side(a.qualifier(), new Expression.NullLiteral(a.pos()));
                if (side != JoinScope.RIGHT) {
                    all(left, la, outs, used, select, a);
                }
                if (side != JoinScope.LEFT) {
                    all(right, ra, outs, used, select, a);
                }
            } else if (item instanceof Query.SingleColumn c) {
                String n = QueryCompiler.name(c, outs.size());
                outs.add(new Output(n, select.compile(c.expression()), false));
                used.add(n.toLowerCase(Locale.ROOT));
            } else {
                throw new SqlPlanningException(
                        item.pos(), "windows cannot be combined with a join");
            }
        }
        QueryCompiler.checkDistinct(outs, q.pos());
        return outs;
    }

    private static void all(
            SourceDescription s,
            String alias,
            List<Output> outs,
            Set<String> used,
            ExpressionCompiler select,
            Query.AllColumns at) {
        String q = alias != null ? alias : s.name();
        for (Column c : s.columns()) {
            String n =
                    used.contains(c.name().toLowerCase(Locale.ROOT))
                            ? q + "_" + c.name()
                            : c.name();
            outs.add(
                    new Output(
                            n,
                            select.compile(new Expression.ColumnRef(q, c.name(), at.pos())),
                            false));
            used.add(n.toLowerCase(Locale.ROOT));
        }
    }

    private static void rejectOtherClauses(Query q) {
        String clause =
                q.window() != null
                        ? "WINDOW"
                        : !q.groupBy().isEmpty()
                                ? "GROUP BY"
                                : q.having() != null
                                        ? "HAVING"
                                        : !q.partitionBy().isEmpty()
                                                ? "PARTITION BY"
                                                : q.emit() == Query.EmitMode.FINAL
                                                        ? "EMIT FINAL"
                                                        : null;
        if (clause != null) {
            throw new SqlPlanningException(
                    q.join().pos(), "a join cannot be combined with " + clause + " yet");
        }
    }
}
