package io.virta.runtime.plan.internal;

import io.virta.runtime.sql.ast.Expression;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** INTERNAL API: pre-order traversal of expressions. */
public final class Walker {

    private Walker() {}

    /**
     * Visits {@code e} and its sub-expressions in pre-order.
     *
     * @param e the root
     * @param visitor returns false to skip a node's children
     */
    public static void forEach(Expression e, Predicate<Expression> visitor) {
        if (e == null || !visitor.test(e)) {
            return;
        }
        for (Expression c : children(e)) {
            forEach(c, visitor);
        }
    }

    /**
     * @param e an expression
     * @return its direct sub-expressions
     */
    public static List<Expression> children(Expression e) {
        List<Expression> out = new ArrayList<>();
        if (e instanceof Expression.Dereference d) {
            out.add(d.base());
        } else if (e instanceof Expression.Subscript s) {
            out.add(s.base());
            out.add(s.index());
        } else if (e instanceof Expression.FunctionCall f) {
            out.addAll(f.args());
        } else if (e instanceof Expression.Negation n) {
            out.add(n.operand());
        } else if (e instanceof Expression.Not n) {
            out.add(n.operand());
        } else if (e instanceof Expression.Binary b) {
            out.add(b.left());
            out.add(b.right());
        } else if (e instanceof Expression.Between b) {
            out.add(b.value());
            out.add(b.low());
            out.add(b.high());
        } else if (e instanceof Expression.InList in) {
            out.add(in.value());
            out.addAll(in.list());
        } else if (e instanceof Expression.Like l) {
            out.add(l.value());
            out.add(l.pattern());
        } else if (e instanceof Expression.IsNull n) {
            out.add(n.value());
        } else if (e instanceof Expression.Case c) {
            if (c.operand() != null) {
                out.add(c.operand());
            }
            for (Expression.When w : c.whens()) {
                out.add(w.condition());
                out.add(w.result());
            }
            if (c.otherwise() != null) {
                out.add(c.otherwise());
            }
        } else if (e instanceof Expression.Cast c) {
            out.add(c.value());
        } else if (e instanceof Expression.ArrayConstructor a) {
            out.addAll(a.elements());
        }
        return out;
    }
}
