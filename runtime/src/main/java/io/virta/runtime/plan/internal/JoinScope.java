package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.Column;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;
import java.util.Optional;

/**
 * INTERNAL API: names over a joined pair. {@code alias.col} reads that side's row (NULL when the
 * side is missing in an outer join); an unqualified column must belong to exactly one side. The
 * pair travels as one object {@code {"left": .., "right": ..}} built by {@link #pair}.
 */
final class JoinScope implements Scope {

    static final String LEFT = "left";
    static final String RIGHT = "right";

    private final SourceDescription left;
    private final String leftAlias;
    private final SourceDescription right;
    private final String rightAlias;
    private final String clause;

    JoinScope(
            SourceDescription left,
            String leftAlias,
            SourceDescription right,
            String rightAlias,
            String clause) {
        this.left = left;
        this.leftAlias = leftAlias;
        this.right = right;
        this.rightAlias = rightAlias;
        this.clause = clause;
    }

    /**
     * @param l the left row, or null
     * @param r the right row, or null
     * @param key the join key
     * @param time the output's event time
     * @return the context an expression of this scope reads
     */
    static EvalContext pair(Row l, Row r, String key, long time) {
        ObjectNode both = SqlValues.NODES.objectNode();
        both.set(LEFT, l == null ? SqlValues.nullValue() : l.value());
        both.set(RIGHT, r == null ? SqlValues.nullValue() : r.value());
        return EvalContext.ofRow(both, key, time);
    }

    /**
     * @param qualifier a qualifier as written, or null
     * @return which side it names: LEFT, RIGHT, or null when unqualified
     * @throws SqlPlanningException for an unknown qualifier
     */
    String side(String qualifier, Expression at) {
        if (qualifier == null) {
            return null;
        }
        if (names(qualifier, left, leftAlias)) {
            return LEFT;
        }
        if (names(qualifier, right, rightAlias)) {
            return RIGHT;
        }
        throw new SqlPlanningException(at.pos(), "unknown relation '" + qualifier + "'");
    }

    /**
     * @param leftSide whether the left side is wanted
     * @return that side's source
     */
    SourceDescription sideSource(boolean leftSide) {
        return leftSide ? left : right;
    }

    private static boolean names(String q, SourceDescription s, String alias) {
        return alias != null ? q.equalsIgnoreCase(alias) : q.equalsIgnoreCase(s.name());
    }

    @Override
    public TypedExpr intercept(Expression e) {
        if (e instanceof Expression.FunctionCall f
                && ScalarFunctions.AGGREGATES.contains(f.name())) {
            throw new SqlPlanningException(
                    f.pos(),
                    "aggregate function " + f.name() + " is not allowed in a join's " + clause);
        }
        return null;
    }

    @Override
    public TypedExpr column(Expression.ColumnRef ref) {
        String side = side(ref.qualifier(), ref);
        Optional<Column> l = side == RIGHT ? Optional.empty() : left.column(ref.name());
        Optional<Column> r = side == LEFT ? Optional.empty() : right.column(ref.name());
        if (l.isPresent() && r.isPresent()) {
            throw new SqlPlanningException(
                    ref.pos(),
                    "column '" + ref.name() + "' is ambiguous: qualify it with a relation");
        }
        if (l.isEmpty() && r.isEmpty()) {
            throw new SqlPlanningException(
                    ref.pos(),
                    "unknown column '"
                            + ref.name()
                            + "' in "
                            + (side == LEFT
                                    ? left.name()
                                    : side == RIGHT
                                            ? right.name()
                                            : left.name() + " or " + right.name()));
        }
        String from = l.isPresent() ? LEFT : RIGHT;
        Column c = l.orElseGet(r::get);
        String name = c.name();
        SqlType type = c.type();
        return TypedExpr.of(
                type,
                ctx -> {
                    JsonNode v = ctx.row.get(from);
                    return SqlValues.isNull(v)
                            ? SqlValues.nullValue()
                            : SqlValues.coerce(v.get(name), type);
                });
    }
}
