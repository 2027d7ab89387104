package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.sql.Position;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression.BinaryOp;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** INTERNAL API: the compiled forms of SQL operators. */
final class Operators {

    private Operators() {}

    static TypedExpr arithmetic(BinaryOp op, SqlType type, TypedExpr l, TypedExpr r) {
        return TypedExpr.of(
                type,
                ctx -> {
                    JsonNode a = l.eval(ctx);
                    JsonNode b = r.eval(ctx);
                    if (SqlValues.isNull(a) || SqlValues.isNull(b)) {
                        return SqlValues.nullValue();
                    }
                    return apply(op, type, a, b);
                });
    }

    private static JsonNode apply(BinaryOp op, SqlType type, JsonNode a, JsonNode b) {
        if (type.isIntegral() || type instanceof SqlType.TimestampType) {
            long x = a.longValue();
            long y = b.longValue();
            return switch (op) {
                case ADD -> SqlValues.of(x + y);
                case SUBTRACT -> SqlValues.of(x - y);
                case MULTIPLY -> SqlValues.of(x * y);
                case DIVIDE -> y == 0 ? SqlValues.nullValue() : SqlValues.of(x / y);
                default -> y == 0 ? SqlValues.nullValue() : SqlValues.of(x % y);
            };
        }
        if (type instanceof SqlType.DecimalType) {
            BigDecimal x = a.decimalValue();
            BigDecimal y = b.decimalValue();
            boolean zero = y.signum() == 0;
            return switch (op) {
                case ADD -> SqlValues.of(x.add(y));
                case SUBTRACT -> SqlValues.of(x.subtract(y));
                case MULTIPLY -> SqlValues.of(x.multiply(y));
                case DIVIDE ->
                        zero
                                ? SqlValues.nullValue()
                                : SqlValues.of(x.divide(y, MathContext.DECIMAL64));
                default -> zero ? SqlValues.nullValue() : SqlValues.of(x.remainder(y));
            };
        }
        double x = a.doubleValue();
        double y = b.doubleValue();
        return switch (op) {
            case ADD -> SqlValues.of(x + y);
            case SUBTRACT -> SqlValues.of(x - y);
            case MULTIPLY -> SqlValues.of(x * y);
            case DIVIDE -> y == 0 ? SqlValues.nullValue() : SqlValues.of(x / y);
            default -> y == 0 ? SqlValues.nullValue() : SqlValues.of(x % y);
        };
    }

    static TypedExpr logical(boolean and, TypedExpr l, TypedExpr r) {
        return TypedExpr.of(
                SqlType.BOOLEAN,
                ctx -> {
                    JsonNode a = l.eval(ctx);
                    if (!SqlValues.isNull(a) && a.booleanValue() != and) {
                        return a;
                    }
                    JsonNode b = r.eval(ctx);
                    if (!SqlValues.isNull(b) && b.booleanValue() != and) {
                        return b;
                    }
                    return SqlValues.isNull(a) || SqlValues.isNull(b)
                            ? SqlValues.nullValue()
                            : SqlValues.of(and);
                });
    }

    static void requireComparable(SqlType a, SqlType b, Position pos) {
        SqlType c = Types.common(a, b);
        boolean ok =
                c != null
                        && !(c instanceof SqlType.ArrayType
                                || c instanceof SqlType.MapType
                                || c instanceof SqlType.StructType);
        boolean stringTime =
                a instanceof SqlType.TimestampType && b instanceof SqlType.StringType
                        || b instanceof SqlType.TimestampType && a instanceof SqlType.StringType;
        if (!ok && !stringTime) {
            throw new SqlPlanningException(pos, "cannot compare " + a.sql() + " with " + b.sql());
        }
    }

    static TypedExpr comparison(BinaryOp op, TypedExpr l, TypedExpr r, Position pos) {
        requireComparable(l.type(), r.type(), pos);
        SqlType lt = l.type();
        SqlType rt = r.type();
        return TypedExpr.of(
                SqlType.BOOLEAN,
                ctx -> {
                    JsonNode a = timeAware(l.eval(ctx), lt, rt);
                    JsonNode b = timeAware(r.eval(ctx), rt, lt);
                    if (SqlValues.isNull(a) || SqlValues.isNull(b)) {
                        return SqlValues.nullValue();
                    }
                    if (op == BinaryOp.EQ) {
                        return SqlValues.of(SqlValues.equal(a, b));
                    }
                    if (op == BinaryOp.NEQ) {
                        return SqlValues.of(!SqlValues.equal(a, b));
                    }
                    int c = SqlValues.compare(a, b);
                    return SqlValues.of(
                            switch (op) {
                                case LT -> c < 0;
                                case LTE -> c <= 0;
                                case GT -> c > 0;
                                default -> c >= 0;
                            });
                });
    }

    /** A string compared with a TIMESTAMP is read as ISO-8601. */
    private static JsonNode timeAware(JsonNode v, SqlType self, SqlType other) {
        if (self instanceof SqlType.StringType && other instanceof SqlType.TimestampType) {
            return SqlValues.coerce(v, SqlType.TIMESTAMP);
        }
        return v;
    }

    static TypedExpr between(
            TypedExpr v, TypedExpr low, TypedExpr high, boolean negated, Position pos) {
        TypedExpr ge = comparison(BinaryOp.GTE, v, low, pos);
        TypedExpr le = comparison(BinaryOp.LTE, v, high, pos);
        TypedExpr both = logical(true, ge, le);
        if (!negated) {
            return both;
        }
        return TypedExpr.of(
                SqlType.BOOLEAN,
                ctx -> {
                    JsonNode b = both.eval(ctx);
                    return SqlValues.isNull(b) ? b : SqlValues.of(!b.booleanValue());
                });
    }

    static TypedExpr in(TypedExpr v, List<TypedExpr> list, boolean negated, Position pos) {
        for (TypedExpr x : list) {
            requireComparable(v.type(), x.type(), pos);
        }
        return TypedExpr.of(
                SqlType.BOOLEAN,
                ctx -> {
                    JsonNode a = v.eval(ctx);
                    if (SqlValues.isNull(a)) {
                        return SqlValues.nullValue();
                    }
                    boolean sawNull = false;
                    for (TypedExpr x : list) {
                        JsonNode b = x.eval(ctx);
                        if (SqlValues.isNull(b)) {
                            sawNull = true;
                        } else if (SqlValues.equal(a, b)) {
                            return SqlValues.of(!negated);
                        }
                    }
                    return sawNull ? SqlValues.nullValue() : SqlValues.of(negated);
                });
    }

    static JsonNode cast(JsonNode v, SqlType from, SqlType to) {
        if (SqlValues.isNull(v)) {
            return SqlValues.nullValue();
        }
        if (to instanceof SqlType.StringType && from instanceof SqlType.TimestampType) {
            return SqlValues.of(Instant.ofEpochMilli(v.longValue()).toString());
        }
        if (to.isIntegral() && v.isNumber()) {
            return SqlValues.of(v.longValue());
        }
        return SqlValues.coerce(v, to);
    }

    /** Translates a LIKE pattern ({@code %}, {@code _}, optional escape) to a regex. */
    static Pattern likePattern(JsonNode pattern, Character escape) {
        if (SqlValues.isNull(pattern)) {
            return null;
        }
        String p = pattern.asText();
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            if (escape != null && ch == escape && i + 1 < p.length()) {
                re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
            } else if (ch == '%') {
                re.append(".*");
            } else if (ch == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
