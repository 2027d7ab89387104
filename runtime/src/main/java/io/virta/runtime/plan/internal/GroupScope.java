package io.virta.runtime.plan.internal;

import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.SqlFormatter;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;
import java.util.List;

/**
 * INTERNAL API: names after aggregation. A sub-expression equal to a GROUP BY expression reads the
 * group's key value; an aggregate call reads its result; WINDOWSTART/WINDOWEND read the window. Any
 * other column is an error: it is neither grouped nor aggregated.
 */
public final class GroupScope implements Scope {

    private final List<String> keySql;
    private final List<SqlType> keyTypes;
    private final AggregateCalls aggregates;
    private final boolean windowed;

    /**
     * @param keySql canonical text of the GROUP BY expressions
     * @param keyTypes their types
     * @param aggregates the aggregate calls (slots follow the keys)
     * @param windowed whether the query has a window
     */
    public GroupScope(
            List<String> keySql,
            List<SqlType> keyTypes,
            AggregateCalls aggregates,
            boolean windowed) {
        this.keySql = List.copyOf(keySql);
        this.keyTypes = List.copyOf(keyTypes);
        this.aggregates = aggregates;
        this.windowed = windowed;
    }

    @Override
    public TypedExpr intercept(Expression e) {
        if (e instanceof Expression.WindowBound w) {
            if (!windowed) {
                return null;
            }
            boolean start = w.start();
            return TypedExpr.of(
                    SqlType.TIMESTAMP,
                    ctx -> SqlValues.of(start ? ctx.window.start() : ctx.window.end()));
        }
        if (e instanceof Expression.NullLiteral
                || e instanceof Expression.BooleanLiteral
                || e instanceof Expression.IntegerLiteral
                || e instanceof Expression.StringLiteral) {
            return null;
        }
        String sql = SqlFormatter.format(e);
        int k = keySql.indexOf(sql);
        if (k >= 0) {
            return TypedExpr.of(keyTypes.get(k), ctx -> ctx.slots[k]);
        }
        int a = aggregates.indexOf(sql);
        if (a >= 0) {
            int slot = keySql.size() + a;
            return TypedExpr.of(aggregates.calls().get(a).type(), ctx -> ctx.slots[slot]);
        }
        return null;
    }

    @Override
    public TypedExpr column(Expression.ColumnRef ref) {
        throw new SqlPlanningException(
                ref.pos(),
                "column '"
                        + ref.name()
                        + "' must appear in GROUP BY or be used in an aggregate function");
    }
}
