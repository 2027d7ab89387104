package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Window;
import io.virta.runtime.operator.internal.AggregateFunction;
import io.virta.runtime.operator.internal.AggregateOperator;
import io.virta.runtime.plan.Column;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.plan.Step;
import io.virta.runtime.sql.Position;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Query;
import io.virta.runtime.sql.ast.SqlFormatter;
import io.virta.runtime.sql.ast.Statement.SourceKind;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;
import io.virta.runtime.window.HoppingWindows;
import io.virta.runtime.window.SessionWindows;
import io.virta.runtime.window.TumblingWindows;
import io.virta.runtime.window.WindowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** INTERNAL API: compiles a {@link Query} over a source into a {@link QueryPlan}. */
public final class QueryCompiler {

    /** One output column. */
    record Output(String name, TypedExpr expr, boolean window) {}

    private QueryCompiler() {}

    /**
     * @param sinkName the name of the stream or table the query writes
     * @param sinkKind STREAM or TABLE
     * @param q the query
     * @param source the resolved FROM source
     * @param properties the sink's WITH properties
     * @return the plan
     * @throws SqlPlanningException on any semantic error, at its position
     */
    public static QueryPlan compile(
            String sinkName,
            SourceKind sinkKind,
            Query q,
            SourceDescription source,
            Map<String, String> properties) {
        if (q.limit() != null) {
            throw new SqlPlanningException(
                    q.limit().pos(),
                    "LIMIT is not supported: a persistent query has no end, so it never stops"
                            + " after n rows (as in ksqlDB, CREATE ... AS SELECT rejects LIMIT)");
        }
        if (q.matchRecognize() != null) {
            return MatchCompiler.compile(sinkName, sinkKind, q, source, properties);
        }
        String alias = q.from().alias();
        List<Step> steps = new ArrayList<>();
        if (q.where() != null) {
            TypedExpr where =
                    booleanClause(q.where(), new RowScope(source, alias, "WHERE"), "WHERE");
            steps.add(new Step.Filter(SqlFormatter.format(q.where()), row -> isTrue(where, row)));
        }
        ExpressionCompiler rows = new ExpressionCompiler(new RowScope(source, alias, "SELECT"));
        AggregateCalls aggs = new AggregateCalls(rows);
        for (Query.SelectItem item : q.select()) {
            if (item instanceof Query.SingleColumn c) {
                aggs.collect(c.expression());
            }
        }
        if (q.having() != null) {
            aggs.collect(q.having());
        }
        boolean aggregating =
                !q.groupBy().isEmpty() || !aggs.calls().isEmpty() || q.window() != null;
        if (!aggregating) {
            return stateless(sinkName, sinkKind, q, source, properties, rows, steps);
        }
        return aggregate(sinkName, sinkKind, q, source, properties, rows, aggs, steps);
    }

    private static QueryPlan stateless(
            String sinkName,
            SourceKind sinkKind,
            Query q,
            SourceDescription source,
            Map<String, String> properties,
            ExpressionCompiler rows,
            List<Step> steps) {
        if (q.having() != null) {
            throw new SqlPlanningException(q.having().pos(), "HAVING needs GROUP BY or aggregates");
        }
        if (q.emit() == Query.EmitMode.FINAL) {
            throw new SqlPlanningException(q.pos(), "EMIT FINAL needs a windowed aggregation");
        }
        List<String> keyColumns = source.keyColumns();
        if (!q.partitionBy().isEmpty()) {
            List<TypedExpr> keys = new ArrayList<>();
            q.partitionBy().forEach(e -> keys.add(rows.compile(e)));
            steps.add(new Step.Rekey(sqls(q.partitionBy()), keyFunction(keys)));
            keyColumns = new ArrayList<>();
            for (Expression e : q.partitionBy()) {
                if (e instanceof Expression.ColumnRef c) {
                    keyColumns.add(source.column(c.name()).map(Column::name).orElse(c.name()));
                }
            }
        }
        List<Output> outputs = new ArrayList<>();
        for (Query.SelectItem item : q.select()) {
            if (item instanceof Query.AllColumns) {
                for (Column c : source.columns()) {
                    outputs.add(
                            new Output(
                                    c.name(),
                                    rows.compile(
                                            new Expression.ColumnRef(null, c.name(), item.pos())),
                                    false));
                }
            } else if (item instanceof Query.SingleColumn c) {
                outputs.add(
                        new Output(name(c, outputs.size()), rows.compile(c.expression()), false));
            }
        }
        checkDistinct(outputs, q.pos());
        List<Output> outs = List.copyOf(outputs);
        steps.add(
                new Step.Project(
                        outs.stream().map(Output::name).toList(),
                        row -> {
                            EvalContext ctx =
                                    EvalContext.ofRow(row.value(), row.key(), row.eventTime());
                            ObjectNode v = SqlValues.NODES.objectNode();
                            for (Output o : outs) {
                                v.set(o.name(), o.expr().eval(ctx));
                            }
                            return row.withValue(v);
                        }));
        return new QueryPlan(
                source, sink(sinkName, sinkKind, outs, keyColumns, source, properties), steps);
    }

    private static QueryPlan aggregate(
            String sinkName,
            SourceKind sinkKind,
            Query q,
            SourceDescription source,
            Map<String, String> properties,
            ExpressionCompiler rows,
            AggregateCalls aggs,
            List<Step> steps) {
        if (!q.partitionBy().isEmpty()) {
            throw new SqlPlanningException(
                    q.partitionBy().get(0).pos(), "PARTITION BY cannot be combined with GROUP BY");
        }
        WindowSpec window = q.window() == null ? null : window(q.window());
        if (q.emit() == Query.EmitMode.FINAL && window == null) {
            throw new SqlPlanningException(q.pos(), "EMIT FINAL needs a windowed aggregation");
        }
        List<TypedExpr> keys = new ArrayList<>();
        q.groupBy().forEach(e -> keys.add(rows.compile(e)));
        List<String> keySql = sqls(q.groupBy());
        List<String> sourceKeySql =
                source.keyColumns().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
        if (keySql.isEmpty() || !keySql.equals(sourceKeySql)) {
            steps.add(new Step.Rekey(keySql, keyFunction(keys)));
        }
        GroupScope groupScope =
                new GroupScope(
                        keySql, keys.stream().map(TypedExpr::type).toList(), aggs, window != null);
        ExpressionCompiler groups = new ExpressionCompiler(groupScope);
        List<Output> outputs = new ArrayList<>();
        List<String> keyColumns = new ArrayList<>();
        for (Query.SelectItem item : q.select()) {
            if (item instanceof Query.AllColumns a) {
                throw new SqlPlanningException(a.pos(), "SELECT * cannot be used with GROUP BY");
            } else if (item instanceof Query.WindowColumn w) {
                String n = w.alias() == null ? "window" : w.alias();
                outputs.add(new Output(n, TypedExpr.of(windowType(), ctx -> null), true));
            } else {
                Query.SingleColumn c = (Query.SingleColumn) item;
                String n = name(c, outputs.size());
                outputs.add(new Output(n, groups.compile(c.expression()), false));
                if (keySql.contains(SqlFormatter.format(c.expression()))) {
                    keyColumns.add(n);
                }
            }
        }
        checkDistinct(outputs, q.pos());
        TypedExpr having =
                q.having() == null ? null : booleanClause(q.having(), groupScope, "HAVING");
        List<Output> outs = List.copyOf(outputs);
        List<AggregateCalls.Call> calls = aggs.calls();
        List<AggregateFunction> fns = calls.stream().map(AggregateCalls.Call::function).toList();
        List<Function<Row, JsonNode>> args = new ArrayList<>();
        for (AggregateCalls.Call c : calls) {
            TypedExpr a = c.argument();
            args.add(
                    a == null
                            ? row -> SqlValues.nullValue()
                            : row ->
                                    a.eval(
                                            EvalContext.ofRow(
                                                    row.value(), row.key(), row.eventTime())));
        }
        Function<Row, List<JsonNode>> keyValues =
                row -> {
                    EvalContext ctx = EvalContext.ofRow(row.value(), row.key(), row.eventTime());
                    List<JsonNode> out = new ArrayList<>(keys.size());
                    keys.forEach(k -> out.add(k.eval(ctx)));
                    return out;
                };
        AggregateOperator.Projector projector =
                (kv, results, w) -> project(outs, having, kv, results, w);
        boolean emitFinal = q.emit() == Query.EmitMode.FINAL;
        steps.add(
                new Step.Aggregate(
                        keySql,
                        window,
                        emitFinal,
                        calls.stream().map(AggregateCalls.Call::sql).toList(),
                        new AggregateOperator(window, fns, args, keyValues, projector, emitFinal)));
        return new QueryPlan(
                source, sink(sinkName, sinkKind, outs, keyColumns, source, properties), steps);
    }

    private static ObjectNode project(
            List<Output> outs,
            TypedExpr having,
            List<JsonNode> keyValues,
            List<JsonNode> results,
            Window w) {
        JsonNode[] slots = new JsonNode[keyValues.size() + results.size()];
        for (int i = 0; i < keyValues.size(); i++) {
            slots[i] = keyValues.get(i);
        }
        for (int i = 0; i < results.size(); i++) {
            slots[keyValues.size() + i] = results.get(i);
        }
        EvalContext ctx = EvalContext.ofGroup(slots, w);
        if (having != null) {
            JsonNode h = having.eval(ctx);
            if (SqlValues.isNull(h) || !h.booleanValue()) {
                return null;
            }
        }
        ObjectNode v = SqlValues.NODES.objectNode();
        for (Output o : outs) {
            if (o.window()) {
                ObjectNode bounds = v.putObject(o.name());
                bounds.put("start", w.start());
                bounds.put("end", w.end());
            } else {
                v.set(o.name(), o.expr().eval(ctx));
            }
        }
        return v;
    }

    private static SqlType windowType() {
        return SqlType.struct(
                List.of(
                        new SqlType.Field("start", SqlType.TIMESTAMP),
                        new SqlType.Field("end", SqlType.TIMESTAMP)));
    }

    private static WindowSpec window(Query.WindowExpr w) {
        try {
            WindowSpec spec =
                    switch (w.kind()) {
                        case TUMBLING -> TumblingWindows.of(w.size());
                        case HOPPING -> HoppingWindows.of(w.size(), w.advance());
                        case SESSION -> SessionWindows.withGap(w.size());
                    };
            return spec.withGrace(w.grace() == null ? Duration.ZERO : w.grace());
        } catch (IllegalArgumentException e) {
            throw new SqlPlanningException(w.pos(), e.getMessage());
        }
    }

    static TypedExpr booleanClause(Expression e, Scope scope, String clause) {
        TypedExpr t = new ExpressionCompiler(scope).compile(e);
        if (!(t.type() instanceof SqlType.BooleanType || t.type() instanceof SqlType.NullType)) {
            throw new SqlPlanningException(
                    e.pos(), clause + " must be a BOOLEAN expression, found " + t.type().sql());
        }
        return t;
    }

    static boolean isTrue(TypedExpr predicate, Row row) {
        JsonNode v = predicate.eval(EvalContext.ofRow(row.value(), row.key(), row.eventTime()));
        return !SqlValues.isNull(v) && v.booleanValue();
    }

    /** The key text of a row: the single value's text, or a JSON array of several. */
    static Function<Row, String> keyFunction(List<TypedExpr> keys) {
        if (keys.isEmpty()) {
            return row -> "";
        }
        return row -> {
            EvalContext ctx = EvalContext.ofRow(row.value(), row.key(), row.eventTime());
            if (keys.size() == 1) {
                JsonNode v = keys.get(0).eval(ctx);
                return v.isValueNode() ? v.asText() : v.toString();
            }
            var arr = SqlValues.NODES.arrayNode();
            keys.forEach(k -> arr.add(k.eval(ctx)));
            return arr.toString();
        };
    }

    static List<String> sqls(List<Expression> es) {
        return es.stream().map(SqlFormatter::format).toList();
    }

    static String name(Query.SingleColumn c, int index) {
        if (c.alias() != null) {
            return c.alias();
        }
        Expression e = c.expression();
        if (e instanceof Expression.ColumnRef r) {
            return r.name();
        }
        if (e instanceof Expression.Dereference d) {
            return d.field();
        }
        return "KSQL_COL_" + index;
    }

    static void checkDistinct(List<Output> outputs, Position pos) {
        Set<String> seen = new HashSet<>();
        for (Output o : outputs) {
            if (!seen.add(o.name().toLowerCase(Locale.ROOT))) {
                throw new SqlPlanningException(pos, "duplicate output column '" + o.name() + "'");
            }
        }
    }

    static SourceDescription sink(
            String name,
            SourceKind kind,
            List<Output> outs,
            List<String> keyColumns,
            SourceDescription source,
            Map<String, String> properties) {
        List<Column> cols = new ArrayList<>();
        for (Output o : outs) {
            cols.add(new Column(o.name(), o.expr().type(), keyColumns.contains(o.name())));
        }
        // Rows keep their key even when the select list leaves the key column out (as for GROUP
        // BY columns not selected); the sink then just has no key column to describe it.
        List<String> described =
                keyColumns.stream()
                        .filter(k -> cols.stream().anyMatch(c -> c.name().equals(k)))
                        .toList();
        return new SourceDescription(
                name,
                kind,
                cols,
                described,
                null,
                source.outOfOrderness(),
                source.idleTimeout(),
                1,
                properties);
    }
}
