package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.plan.Column;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;

/**
 * INTERNAL API: names before aggregation: the source's columns, plus the pseudo columns {@code
 * ROWTIME} (event time) and {@code ROWKEY} (key text). Aggregate calls are rejected with the clause
 * name.
 */
public final class RowScope implements Scope {

    private final SourceDescription source;
    private final String alias;
    private final String clause;

    /**
     * @param source the source relation
     * @param alias its alias, or null
     * @param clause the clause being compiled, for error messages (e.g. "WHERE")
     */
    public RowScope(SourceDescription source, String alias, String clause) {
        this.source = source;
        this.alias = alias;
        this.clause = clause;
    }

    @Override
    public TypedExpr intercept(Expression e) {
        if (e instanceof Expression.FunctionCall f
                && ScalarFunctions.AGGREGATES.contains(f.name())) {
            throw new SqlPlanningException(
                    f.pos(), "aggregate function " + f.name() + " is not allowed in " + clause);
        }
        return null;
    }

    @Override
    public TypedExpr column(Expression.ColumnRef ref) {
        if (ref.qualifier() != null
                && !ref.qualifier().equalsIgnoreCase(source.name())
                && (alias == null || !ref.qualifier().equalsIgnoreCase(alias))) {
            throw new SqlPlanningException(ref.pos(), "unknown relation '" + ref.qualifier() + "'");
        }
        var col = source.column(ref.name());
        if (col.isEmpty()) {
            if (ref.name().equalsIgnoreCase("ROWTIME")) {
                return TypedExpr.of(SqlType.TIMESTAMP, ctx -> SqlValues.of(ctx.eventTime));
            }
            if (ref.name().equalsIgnoreCase("ROWKEY")) {
                return TypedExpr.of(SqlType.STRING, ctx -> SqlValues.of(ctx.key));
            }
            throw new SqlPlanningException(
                    ref.pos(), "unknown column '" + ref.name() + "' in " + source.name());
        }
        Column c = col.get();
        String name = c.name();
        SqlType type = c.type();
        return TypedExpr.of(
                type,
                ctx -> {
                    JsonNode v = ctx.row.get(name);
                    return SqlValues.coerce(v, type);
                });
    }
}
