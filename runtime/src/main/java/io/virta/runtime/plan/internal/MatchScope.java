package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Expression.FunctionCall;
import io.virta.runtime.types.SqlValues;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INTERNAL API: names inside MATCH_RECOGNIZE (DEFINE, MEASURES and the outer select list). The
 * context's row is the current row in DEFINE and the match's last row in MEASURES; the match's rows
 * so far come with it (running semantics in DEFINE, final in MEASURES, which coincide for ONE ROW
 * PER MATCH):
 *
 * <ul>
 *   <li>{@code col}, {@code src.col}: the context row's column;
 *   <li>{@code V.col}: the last row bound to variable V (in V's own DEFINE: the current row), NULL
 *       when V has no row yet;
 *   <li>{@code FIRST(e)}, {@code LAST(e)}: e over the first (last) row of the one variable e names,
 *       or of the whole match when e names none;
 *   <li>aggregates ({@code COUNT SUM AVG MIN MAX COLLECT_LIST ...}): over the rows of the variable
 *       their argument names, or over every row of the match.
 * </ul>
 */
final class MatchScope implements Scope {

    private final SourceDescription source;
    private final String alias;
    private final Map<String, String> variables;
    private final String clause;
    private final RowScope rows;

    /**
     * @param variables upper-case name to the name as written in PATTERN
     * @param clause DEFINE, MEASURES or SELECT, for error messages
     */
    MatchScope(
            SourceDescription source, String alias, Map<String, String> variables, String clause) {
        this.source = source;
        this.alias = alias;
        this.variables = variables;
        this.clause = clause;
        this.rows = new RowScope(source, alias, clause);
    }

    /**
     * @param qualifier a qualifier as written
     * @return the pattern variable it names, or null
     */
    String variable(String qualifier) {
        return qualifier == null ? null : variables.get(qualifier.toUpperCase(Locale.ROOT));
    }

    @Override
    public TypedExpr intercept(Expression e) {
        if (e instanceof Expression.ColumnRef c && variable(c.qualifier()) != null) {
            String v = variable(c.qualifier());
            TypedExpr read = rows.column(new Expression.ColumnRef(null, c.name(), c.pos()));
            return TypedExpr.of(read.type(), ctx -> onRow(read, last(ctx.match.rows(v))));
        }
        if (e instanceof Expression.ColumnRef c && c.qualifier() != null) {
            boolean known =
                    c.qualifier().equalsIgnoreCase(source.name())
                            || (alias != null && c.qualifier().equalsIgnoreCase(alias));
            if (!known) {
                throw new SqlPlanningException(
                        c.pos(), "unknown pattern variable '" + c.qualifier() + "' in " + clause);
            }
            return null;
        }
        if (e instanceof FunctionCall f && (f.name().equals("FIRST") || f.name().equals("LAST"))) {
            return firstOrLast(f);
        }
        if (e instanceof FunctionCall f && ScalarFunctions.AGGREGATES.contains(f.name())) {
            return aggregate(f);
        }
        return null;
    }

    @Override
    public TypedExpr column(Expression.ColumnRef ref) {
        return rows.column(ref);
    }

    private TypedExpr firstOrLast(FunctionCall f) {
        if (f.args().size() != 1 || f.star() || f.distinct()) {
            throw new SqlPlanningException(f.pos(), f.name() + " takes 1 argument");
        }
        String v = onlyVariable(f);
        TypedExpr arg = new ExpressionCompiler(new RowOfVariable()).compile(f.args().get(0));
        boolean first = f.name().equals("FIRST");
        return TypedExpr.of(
                arg.type(),
                ctx -> {
                    List<Row> rs = v == null ? ctx.match.rows() : ctx.match.rows(v);
                    return onRow(arg, rs.isEmpty() ? null : first ? rs.get(0) : last(rs));
                });
    }

    private TypedExpr aggregate(FunctionCall f) {
        String v = onlyVariable(f);
        AggregateCalls one = new AggregateCalls(new ExpressionCompiler(new RowOfVariable()));
        one.collect(f);
        AggregateCalls.Call call = one.calls().get(0);
        return TypedExpr.of(
                call.type(),
                ctx -> {
                    List<Row> rs = v == null ? ctx.match.rows() : ctx.match.rows(v);
                    var acc = call.function().init();
                    for (Row r : rs) {
                        JsonNode a =
                                call.argument() == null
                                        ? SqlValues.nullValue()
                                        : onRow(call.argument(), r);
                        acc = call.function().add(acc, a, r.eventTime());
                    }
                    return call.function().result(acc);
                });
    }

    /** The one pattern variable an argument names, or null for the whole match. */
    private String onlyVariable(FunctionCall f) {
        Set<String> named = new HashSet<>();
        for (Expression a : f.args()) {
            Walker.forEach(
                    a,
                    x -> {
                        if (x instanceof Expression.ColumnRef c
                                && variable(c.qualifier()) != null) {
                            named.add(variable(c.qualifier()));
                        }
                        return true;
                    });
        }
        if (named.size() > 1) {
            throw new SqlPlanningException(
                    f.pos(), f.name() + " must refer to one pattern variable, found " + named);
        }
        return named.isEmpty() ? null : named.iterator().next();
    }

    private static Row last(List<Row> rs) {
        return rs.isEmpty() ? null : rs.get(rs.size() - 1);
    }

    private static JsonNode onRow(TypedExpr e, Row r) {
        return r == null
                ? SqlValues.nullValue()
                : e.eval(EvalContext.ofRow(r.value(), r.key(), r.eventTime()));
    }

    /** The argument of FIRST/LAST/aggregates: one row, whatever variable qualifies a column. */
    private final class RowOfVariable implements Scope {
        @Override
        public TypedExpr intercept(Expression e) {
            if (e instanceof FunctionCall f
                    && (ScalarFunctions.AGGREGATES.contains(f.name())
                            || f.name().equals("FIRST")
                            || f.name().equals("LAST"))) {
                throw new SqlPlanningException(f.pos(), f.name() + " cannot be nested here");
            }
            return null;
        }

        @Override
        public TypedExpr column(Expression.ColumnRef ref) {
            String q = variable(ref.qualifier()) != null ? null : ref.qualifier();
            return rows.column(new Expression.ColumnRef(q, ref.name(), ref.pos()));
        }
    }
}
