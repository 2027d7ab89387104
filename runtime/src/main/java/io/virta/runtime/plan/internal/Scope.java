package io.virta.runtime.plan.internal;

import io.virta.runtime.sql.ast.Expression;

/** INTERNAL API: what names mean where an expression is compiled. */
public interface Scope {

    /**
     * Gives a scope the chance to replace a whole sub-expression (a GROUP BY expression or an
     * aggregate call after aggregation) or to reject it.
     *
     * @param e an expression about to be compiled
     * @return its replacement, or null to compile it normally
     * @throws io.virta.runtime.sql.SqlPlanningException when it is not allowed here
     */
    TypedExpr intercept(Expression e);

    /**
     * @param ref a column reference
     * @return the compiled read
     * @throws io.virta.runtime.sql.SqlPlanningException for an unknown column
     */
    TypedExpr column(Expression.ColumnRef ref);
}
