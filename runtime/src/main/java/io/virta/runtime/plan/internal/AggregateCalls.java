package io.virta.runtime.plan.internal;

import io.virta.runtime.operator.internal.AggregateFunction;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Expression.FunctionCall;
import io.virta.runtime.sql.ast.SqlFormatter;
import io.virta.runtime.types.SqlType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: finds the aggregate calls of a query (deduplicated by canonical text), type-checks
 * their arguments and picks the {@link AggregateFunction} for each.
 */
public final class AggregateCalls {

    /**
     * One aggregate call.
     *
     * @param sql canonical text
     * @param function the function logic
     * @param argument the compiled argument, or null for COUNT(*)
     * @param type the result type
     */
    public record Call(String sql, AggregateFunction function, TypedExpr argument, SqlType type) {}

    private final Map<String, Call> calls = new LinkedHashMap<>();
    private final ExpressionCompiler rowCompiler;

    /**
     * @param rowCompiler compiles arguments against the input rows
     */
    public AggregateCalls(ExpressionCompiler rowCompiler) {
        this.rowCompiler = rowCompiler;
    }

    /**
     * @return the calls found, in slot order
     */
    public List<Call> calls() {
        return new ArrayList<>(calls.values());
    }

    /**
     * @param sql canonical text of a call
     * @return its slot index among the aggregates, or -1
     */
    public int indexOf(String sql) {
        int i = 0;
        for (String k : calls.keySet()) {
            if (k.equals(sql)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Walks an expression and registers every aggregate call in it.
     *
     * @param e a select item or HAVING
     * @throws SqlPlanningException for nested aggregates or a bad argument type
     */
    public void collect(Expression e) {
        Walker.forEach(
                e,
                x -> {
                    if (x instanceof FunctionCall f
                            && ScalarFunctions.AGGREGATES.contains(f.name())) {
                        calls.computeIfAbsent(SqlFormatter.format(f), k -> resolve(f, k));
                        return false;
                    }
                    return true;
                });
    }

    private Call resolve(FunctionCall f, String sql) {
        if (f.star()) {
            if (!f.name().equals("COUNT")) {
                throw new SqlPlanningException(f.pos(), f.name() + "(*) is not supported");
            }
            return new Call(sql, new AggregateFunction.CountFn(true), null, SqlType.BIGINT);
        }
        if (f.args().size() != 1) {
            throw new SqlPlanningException(
                    f.pos(), f.name() + " takes 1 argument, got " + f.args().size());
        }
        Expression argExpr = f.args().get(0);
        Walker.forEach(
                argExpr,
                x -> {
                    if (x instanceof FunctionCall g
                            && ScalarFunctions.AGGREGATES.contains(g.name())) {
                        throw new SqlPlanningException(g.pos(), "aggregate calls cannot be nested");
                    }
                    return true;
                });
        TypedExpr arg = rowCompiler.compile(argExpr);
        SqlType t = arg.type();
        if (f.distinct() && !f.name().equals("COUNT")) {
            throw new SqlPlanningException(f.pos(), "DISTINCT is only supported in COUNT");
        }
        AggregateFunction fn;
        SqlType result;
        switch (f.name()) {
            case "COUNT" -> {
                fn =
                        f.distinct()
                                ? new AggregateFunction.CountDistinctFn()
                                : new AggregateFunction.CountFn(false);
                result = SqlType.BIGINT;
            }
            case "SUM" -> {
                requireNumeric(f, argExpr, t);
                if (t.isIntegral() || t instanceof SqlType.NullType) {
                    fn = new AggregateFunction.LongSumFn();
                    result = SqlType.BIGINT;
                } else if (t instanceof SqlType.DecimalType) {
                    fn = new AggregateFunction.DecimalSumFn();
                    result = t;
                } else {
                    fn = new AggregateFunction.DoubleSumFn();
                    result = SqlType.DOUBLE;
                }
            }
            case "AVG" -> {
                requireNumeric(f, argExpr, t);
                fn = new AggregateFunction.AvgFn();
                result = SqlType.DOUBLE;
            }
            case "MIN", "MAX" -> {
                if (!(t.isNumeric()
                        || t instanceof SqlType.StringType
                        || t instanceof SqlType.TimestampType
                        || t instanceof SqlType.BooleanType)) {
                    throw new SqlPlanningException(
                            argExpr.pos(), f.name() + " does not accept " + t.sql());
                }
                fn = new AggregateFunction.ExtremeFn(f.name().equals("MAX"));
                result = t;
            }
            case "COLLECT_LIST", "COLLECT_SET" -> {
                fn = new AggregateFunction.CollectFn(f.name().equals("COLLECT_SET"));
                result = SqlType.array(t instanceof SqlType.NullType ? SqlType.STRING : t);
            }
            default -> {
                fn = new AggregateFunction.PickFn(f.name().equals("LATEST"));
                result = t;
            }
        }
        return new Call(sql, fn, arg, result);
    }

    private static void requireNumeric(FunctionCall f, Expression arg, SqlType t) {
        if (!t.isNumeric() && !(t instanceof SqlType.NullType)) {
            throw new SqlPlanningException(
                    arg.pos(), f.name() + " needs a numeric argument, found " + t.sql());
        }
    }
}
