package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.types.SqlType;

/**
 * INTERNAL API: a type-checked, compiled expression.
 *
 * @param type its static type
 * @param eval computes its value (SQL NULL as NullNode, never Java null)
 * @param constant whether it reads nothing from the context (and can be folded)
 */
public record TypedExpr(SqlType type, Evaluator eval, boolean constant) {

    /** Compiled code of an expression. */
    @FunctionalInterface
    public interface Evaluator {
        /**
         * @param ctx what the expression may read
         * @return its value
         */
        JsonNode eval(EvalContext ctx);
    }

    /**
     * @param type the type
     * @param eval the code
     * @return a non-constant expression
     */
    public static TypedExpr of(SqlType type, Evaluator eval) {
        return new TypedExpr(type, eval, false);
    }

    /**
     * @param type the type
     * @param value the value
     * @return a constant
     */
    public static TypedExpr constant(SqlType type, JsonNode value) {
        return new TypedExpr(type, ctx -> value, true);
    }

    /**
     * @param ctx the context
     * @return the value
     */
    public JsonNode eval(EvalContext ctx) {
        return eval.eval(ctx);
    }
}
