package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Expression.BinaryOp;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * INTERNAL API: type-checks an expression in a {@link Scope} and compiles it to a {@link
 * TypedExpr}. Errors are {@link SqlPlanningException}s at the position of the offending
 * sub-expression. Three-valued logic: comparisons with NULL are NULL; AND/OR follow SQL.
 */
public final class ExpressionCompiler {

    private final Scope scope;

    /**
     * @param scope what names mean
     */
    public ExpressionCompiler(Scope scope) {
        this.scope = scope;
    }

    /**
     * @param e an expression
     * @return it, compiled
     * @throws SqlPlanningException on a type error, unknown column or unknown function
     */
    public TypedExpr compile(Expression e) {
        TypedExpr intercepted = scope.intercept(e);
        if (intercepted != null) {
            return intercepted;
        }
        if (e instanceof Expression.NullLiteral) {
            return TypedExpr.constant(SqlType.NULL, SqlValues.nullValue());
        }
        if (e instanceof Expression.BooleanLiteral b) {
            return TypedExpr.constant(SqlType.BOOLEAN, SqlValues.of(b.value()));
        }
        if (e instanceof Expression.IntegerLiteral i) {
            boolean small = i.value() >= Integer.MIN_VALUE && i.value() <= Integer.MAX_VALUE;
            return TypedExpr.constant(
                    small ? SqlType.INT : SqlType.BIGINT, SqlValues.of(i.value()));
        }
        if (e instanceof Expression.DecimalLiteral d) {
            return TypedExpr.constant(SqlType.DECIMAL, SqlValues.of(d.value()));
        }
        if (e instanceof Expression.DoubleLiteral d) {
            return TypedExpr.constant(SqlType.DOUBLE, SqlValues.of(d.value()));
        }
        if (e instanceof Expression.StringLiteral s) {
            return TypedExpr.constant(SqlType.STRING, SqlValues.of(s.value()));
        }
        if (e instanceof Expression.ColumnRef c) {
            return scope.column(c);
        }
        if (e instanceof Expression.Dereference d) {
            return dereference(d);
        }
        if (e instanceof Expression.Subscript s) {
            return subscript(s);
        }
        if (e instanceof Expression.FunctionCall f) {
            return ScalarFunctions.compile(f, args(f.args()));
        }
        if (e instanceof Expression.Negation n) {
            TypedExpr x = compile(n.operand());
            requireNumeric(x, n.operand(), "unary minus");
            return Operators.arithmetic(
                    BinaryOp.SUBTRACT, x.type(), TypedExpr.constant(x.type(), SqlValues.of(0L)), x);
        }
        if (e instanceof Expression.Not n) {
            TypedExpr x = booleanOperand(n.operand());
            return TypedExpr.of(
                    SqlType.BOOLEAN,
                    ctx -> {
                        JsonNode v = x.eval(ctx);
                        return SqlValues.isNull(v) ? v : SqlValues.of(!v.booleanValue());
                    });
        }
        if (e instanceof Expression.Binary b) {
            return binary(b);
        }
        if (e instanceof Expression.Between b) {
            return Operators.between(
                    compile(b.value()), compile(b.low()), compile(b.high()), b.negated(), b.pos());
        }
        if (e instanceof Expression.InList in) {
            return Operators.in(compile(in.value()), args(in.list()), in.negated(), in.pos());
        }
        if (e instanceof Expression.Like l) {
            return like(l);
        }
        if (e instanceof Expression.IsNull n) {
            TypedExpr x = compile(n.value());
            boolean neg = n.negated();
            return TypedExpr.of(
                    SqlType.BOOLEAN, ctx -> SqlValues.of(SqlValues.isNull(x.eval(ctx)) != neg));
        }
        if (e instanceof Expression.Case c) {
            return caseWhen(c);
        }
        if (e instanceof Expression.Cast c) {
            TypedExpr x = compile(c.value());
            SqlType target = c.type();
            return new TypedExpr(
                    target, ctx -> Operators.cast(x.eval(ctx), x.type(), target), x.constant());
        }
        if (e instanceof Expression.ArrayConstructor a) {
            return array(a);
        }
        Expression.WindowBound w = (Expression.WindowBound) e;
        throw new SqlPlanningException(
                w.pos(),
                (w.start() ? "WINDOWSTART" : "WINDOWEND")
                        + " is only allowed in the select list or HAVING of a windowed"
                        + " aggregation");
    }

    private List<TypedExpr> args(List<Expression> es) {
        List<TypedExpr> out = new ArrayList<>(es.size());
        for (Expression a : es) {
            out.add(compile(a));
        }
        return out;
    }

    private TypedExpr booleanOperand(Expression e) {
        TypedExpr x = compile(e);
        if (!(x.type() instanceof SqlType.BooleanType || x.type() instanceof SqlType.NullType)) {
            throw new SqlPlanningException(
                    e.pos(), "expected a BOOLEAN expression, found " + x.type().sql());
        }
        return x;
    }

    private static void requireNumeric(TypedExpr x, Expression e, String what) {
        if (!x.type().isNumeric() && !(x.type() instanceof SqlType.NullType)) {
            throw new SqlPlanningException(
                    e.pos(), what + " needs a numeric operand, found " + x.type().sql());
        }
    }

    private TypedExpr binary(Expression.Binary b) {
        if (b.op() == BinaryOp.AND || b.op() == BinaryOp.OR) {
            return Operators.logical(
                    b.op() == BinaryOp.AND, booleanOperand(b.left()), booleanOperand(b.right()));
        }
        TypedExpr l = compile(b.left());
        TypedExpr r = compile(b.right());
        if (b.op() == BinaryOp.CONCAT) {
            return ScalarFunctions.concat(List.of(l, r));
        }
        if (b.op().isComparison()) {
            return Operators.comparison(b.op(), l, r, b.pos());
        }
        if (b.op() == BinaryOp.SUBTRACT
                && l.type() instanceof SqlType.TimestampType
                && r.type() instanceof SqlType.TimestampType) {
            // the distance between two instants, in milliseconds
            return Operators.arithmetic(BinaryOp.SUBTRACT, SqlType.BIGINT, l, r);
        }
        boolean timeArith =
                (l.type() instanceof SqlType.TimestampType && r.type().isIntegral())
                        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUBTRACT);
        if (!timeArith) {
            requireNumeric(l, b.left(), "'" + b.op().sql() + "'");
            requireNumeric(r, b.right(), "'" + b.op().sql() + "'");
        }
        SqlType t = timeArith ? SqlType.TIMESTAMP : Types.common(l.type(), r.type());
        return Operators.arithmetic(b.op(), t, l, r);
    }

    private TypedExpr dereference(Expression.Dereference d) {
        TypedExpr base = compile(d.base());
        String field = d.field();
        SqlType type;
        String jsonName = field;
        if (base.type() instanceof SqlType.StructType s) {
            SqlType.Field f =
                    s.field(field)
                            .orElseThrow(
                                    () ->
                                            new SqlPlanningException(
                                                    d.pos(),
                                                    "unknown field '" + field + "' in " + s.sql()));
            type = f.type();
            jsonName = f.name();
        } else if (base.type() instanceof SqlType.MapType m) {
            type = m.value();
        } else {
            throw new SqlPlanningException(
                    d.pos(), "'->' needs a STRUCT or MAP, found " + base.type().sql());
        }
        String name = jsonName;
        return TypedExpr.of(
                type,
                ctx -> {
                    JsonNode v = base.eval(ctx);
                    JsonNode f = SqlValues.isNull(v) ? null : v.get(name);
                    return f == null ? SqlValues.nullValue() : f;
                });
    }

    private TypedExpr subscript(Expression.Subscript s) {
        TypedExpr base = compile(s.base());
        TypedExpr index = compile(s.index());
        if (base.type() instanceof SqlType.ArrayType a) {
            if (!index.type().isIntegral()) {
                throw new SqlPlanningException(s.index().pos(), "array index must be an INT");
            }
            return TypedExpr.of(
                    a.element(),
                    ctx -> {
                        JsonNode v = base.eval(ctx);
                        JsonNode i = index.eval(ctx);
                        if (SqlValues.isNull(v) || SqlValues.isNull(i)) {
                            return SqlValues.nullValue();
                        }
                        long n = i.longValue();
                        long at = n > 0 ? n - 1 : v.size() + n;
                        JsonNode r = at >= 0 && at < v.size() ? v.get((int) at) : null;
                        return r == null ? SqlValues.nullValue() : r;
                    });
        }
        if (base.type() instanceof SqlType.MapType m) {
            return TypedExpr.of(
                    m.value(),
                    ctx -> {
                        JsonNode v = base.eval(ctx);
                        JsonNode k = index.eval(ctx);
                        JsonNode r =
                                SqlValues.isNull(v) || SqlValues.isNull(k)
                                        ? null
                                        : v.get(k.asText());
                        return r == null ? SqlValues.nullValue() : r;
                    });
        }
        throw new SqlPlanningException(
                s.pos(), "'[]' needs an ARRAY or MAP, found " + base.type().sql());
    }

    private TypedExpr like(Expression.Like l) {
        TypedExpr v = compile(l.value());
        TypedExpr p = compile(l.pattern());
        for (var pair : List.of(List.of(v, l.value()), List.of(p, l.pattern()))) {
            TypedExpr t = (TypedExpr) pair.get(0);
            if (!(t.type() instanceof SqlType.StringType || t.type() instanceof SqlType.NullType)) {
                throw new SqlPlanningException(
                        ((Expression) pair.get(1)).pos(),
                        "LIKE needs STRING operands, found " + t.type().sql());
            }
        }
        Character esc = l.escape();
        boolean neg = l.negated();
        Pattern fixed = p.constant() ? Operators.likePattern(p.eval(null), esc) : null;
        return TypedExpr.of(
                SqlType.BOOLEAN,
                ctx -> {
                    JsonNode s = v.eval(ctx);
                    Pattern pat = fixed != null ? fixed : Operators.likePattern(p.eval(ctx), esc);
                    if (SqlValues.isNull(s) || pat == null) {
                        return SqlValues.nullValue();
                    }
                    return SqlValues.of(pat.matcher(s.asText()).matches() != neg);
                });
    }

    private TypedExpr caseWhen(Expression.Case c) {
        TypedExpr operand = c.operand() == null ? null : compile(c.operand());
        List<TypedExpr> conds = new ArrayList<>();
        List<TypedExpr> results = new ArrayList<>();
        SqlType type = SqlType.NULL;
        for (Expression.When w : c.whens()) {
            TypedExpr cond =
                    operand == null
                            ? booleanOperand(w.condition())
                            : Operators.comparison(
                                    BinaryOp.EQ,
                                    operand,
                                    compile(w.condition()),
                                    w.condition().pos());
            TypedExpr res = compile(w.result());
            type = Types.common(type, res.type(), w.result().pos(), "CASE");
            conds.add(cond);
            results.add(res);
        }
        TypedExpr otherwise = c.otherwise() == null ? null : compile(c.otherwise());
        if (otherwise != null) {
            type = Types.common(type, otherwise.type(), c.otherwise().pos(), "CASE");
        }
        SqlType resultType = type;
        return TypedExpr.of(
                resultType,
                ctx -> {
                    for (int i = 0; i < conds.size(); i++) {
                        JsonNode b = conds.get(i).eval(ctx);
                        if (!SqlValues.isNull(b) && b.booleanValue()) {
                            return SqlValues.coerce(results.get(i).eval(ctx), resultType);
                        }
                    }
                    return otherwise == null
                            ? SqlValues.nullValue()
                            : SqlValues.coerce(otherwise.eval(ctx), resultType);
                });
    }

    private TypedExpr array(Expression.ArrayConstructor a) {
        List<TypedExpr> elems = args(a.elements());
        SqlType t = SqlType.NULL;
        for (int i = 0; i < elems.size(); i++) {
            t = Types.common(t, elems.get(i).type(), a.elements().get(i).pos(), "ARRAY");
        }
        SqlType elementType = t instanceof SqlType.NullType ? SqlType.STRING : t;
        return TypedExpr.of(
                SqlType.array(elementType),
                ctx -> {
                    ArrayNode out = SqlValues.NODES.arrayNode(elems.size());
                    for (TypedExpr x : elems) {
                        out.add(SqlValues.coerce(x.eval(ctx), elementType));
                    }
                    return out;
                });
    }
}
