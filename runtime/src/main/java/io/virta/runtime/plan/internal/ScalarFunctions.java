package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression.FunctionCall;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * INTERNAL API: the scalar functions. Unless noted, a function returns NULL when any argument is
 * NULL. Strings: UCASE/UPPER, LCASE/LOWER, LEN/LENGTH, TRIM, LTRIM, RTRIM, SUBSTRING (1-based),
 * CONCAT, REPLACE, INSTR, SPLIT, LPAD, RPAD. Math: ABS, CEIL, FLOOR, ROUND, SQRT, POWER, EXP, LN,
 * SIGN, GREATEST, LEAST. Time: NOW, UNIX_TIMESTAMP, FROM_UNIXTIME, TIMESTAMPTOSTRING,
 * FORMAT_TIMESTAMP, STRINGTOTIMESTAMP, PARSE_TIMESTAMP. Nulls: COALESCE, IFNULL, NULLIF. Arrays:
 * ARRAY_LENGTH, ARRAY_CONTAINS.
 */
public final class ScalarFunctions {

    /** Names that are aggregate functions, never scalar. */
    public static final Set<String> AGGREGATES =
            Set.of(
                    "COUNT",
                    "SUM",
                    "AVG",
                    "MIN",
                    "MAX",
                    "COLLECT_LIST",
                    "COLLECT_SET",
                    "EARLIEST",
                    "LATEST");

    private static final Predicate<SqlType> STRING = t -> t instanceof SqlType.StringType;
    private static final Predicate<SqlType> NUMBER = SqlType::isNumeric;
    private static final Predicate<SqlType> INTEGRAL = SqlType::isIntegral;
    private static final Predicate<SqlType> TIME =
            t -> t instanceof SqlType.TimestampType || t.isIntegral();

    private ScalarFunctions() {}

    /**
     * @param f the call
     * @param a its compiled arguments
     * @return the compiled call
     * @throws SqlPlanningException for an unknown function, wrong arity or argument type
     */
    public static TypedExpr compile(FunctionCall f, List<TypedExpr> a) {
        if (f.distinct() || f.star()) {
            throw new SqlPlanningException(f.pos(), f.name() + " is not an aggregate function");
        }
        switch (f.name()) {
            case "UCASE", "UPPER":
                return str(f, a, 1, 1, v -> v[0].asText().toUpperCase(Locale.ROOT));
            case "LCASE", "LOWER":
                return str(f, a, 1, 1, v -> v[0].asText().toLowerCase(Locale.ROOT));
            case "TRIM":
                return str(f, a, 1, 1, v -> v[0].asText().strip());
            case "LTRIM":
                return str(f, a, 1, 1, v -> v[0].asText().stripLeading());
            case "RTRIM":
                return str(f, a, 1, 1, v -> v[0].asText().stripTrailing());
            case "LEN", "LENGTH":
                check(f, a, 1, 1, STRING);
                return fn(SqlType.INT, a, v -> SqlValues.of((long) v[0].asText().length()));
            case "SUBSTRING", "SUBSTR":
                check(f, a, 2, 3, STRING, INTEGRAL, INTEGRAL);
                return fn(SqlType.STRING, a, ScalarFunctions::substring);
            case "CONCAT":
                check(f, a, 1, Integer.MAX_VALUE, t -> true);
                return concat(a);
            case "REPLACE":
                return str(f, a, 3, 3, v -> v[0].asText().replace(v[1].asText(), v[2].asText()));
            case "INSTR":
                check(f, a, 2, 2, STRING, STRING);
                return fn(
                        SqlType.INT,
                        a,
                        v -> SqlValues.of((long) v[0].asText().indexOf(v[1].asText()) + 1));
            case "SPLIT":
                check(f, a, 2, 2, STRING, STRING);
                return fn(SqlType.array(SqlType.STRING), a, ScalarFunctions::split);
            case "LPAD", "RPAD":
                check(f, a, 3, 3, STRING, INTEGRAL, STRING);
                boolean left = f.name().equals("LPAD");
                return fn(SqlType.STRING, a, v -> pad(v, left));
            case "ABS":
                check(f, a, 1, 1, NUMBER);
                return fn(a.get(0).type(), a, v -> math(v[0], a.get(0).type(), Math::abs));
            case "CEIL":
                check(f, a, 1, 1, NUMBER);
                return fn(a.get(0).type(), a, v -> math(v[0], a.get(0).type(), Math::ceil));
            case "FLOOR":
                check(f, a, 1, 1, NUMBER);
                return fn(a.get(0).type(), a, v -> math(v[0], a.get(0).type(), Math::floor));
            case "ROUND":
                check(f, a, 1, 2, NUMBER, INTEGRAL);
                return fn(a.get(0).type(), a, v -> round(v, a.get(0).type()));
            case "SQRT":
                return dbl(f, a, 1, v -> Math.sqrt(v[0]));
            case "EXP":
                return dbl(f, a, 1, v -> Math.exp(v[0]));
            case "LN":
                return dbl(f, a, 1, v -> Math.log(v[0]));
            case "POWER", "POW":
                return dbl(f, a, 2, v -> Math.pow(v[0], v[1]));
            case "SIGN":
                check(f, a, 1, 1, NUMBER);
                return fn(
                        SqlType.INT, a, v -> SqlValues.of((long) Math.signum(v[0].doubleValue())));
            case "GREATEST", "LEAST":
                return extreme(f, a, f.name().equals("GREATEST"));
            case "NOW", "UNIX_TIMESTAMP":
                if (a.isEmpty()) {
                    SqlType t = f.name().equals("NOW") ? SqlType.TIMESTAMP : SqlType.BIGINT;
                    return TypedExpr.of(t, ctx -> SqlValues.of(ctx.processingTime));
                }
                check(f, a, 1, 1, TIME);
                return fn(SqlType.BIGINT, a, v -> SqlValues.of(v[0].longValue()));
            case "FROM_UNIXTIME":
                check(f, a, 1, 1, INTEGRAL);
                return fn(SqlType.TIMESTAMP, a, v -> SqlValues.of(v[0].longValue()));
            case "TIMESTAMPTOSTRING", "FORMAT_TIMESTAMP":
                check(f, a, 2, 3, TIME, STRING, STRING);
                return fn(SqlType.STRING, a, ScalarFunctions::formatTime);
            case "STRINGTOTIMESTAMP", "PARSE_TIMESTAMP":
                check(f, a, 2, 3, STRING, STRING, STRING);
                return fn(SqlType.TIMESTAMP, a, ScalarFunctions::parseTime);
            case "COALESCE", "IFNULL":
                return coalesce(f, a);
            case "NULLIF":
                check(f, a, 2, 2, t -> true);
                Operators.requireComparable(a.get(0).type(), a.get(1).type(), f.pos());
                return TypedExpr.of(
                        a.get(0).type(),
                        ctx -> {
                            JsonNode x = a.get(0).eval(ctx);
                            JsonNode y = a.get(1).eval(ctx);
                            return !SqlValues.isNull(x)
                                            && !SqlValues.isNull(y)
                                            && SqlValues.equal(x, y)
                                    ? SqlValues.nullValue()
                                    : x;
                        });
            case "ARRAY_LENGTH":
                check(f, a, 1, 1, t -> t instanceof SqlType.ArrayType);
                return fn(SqlType.INT, a, v -> SqlValues.of((long) v[0].size()));
            case "ARRAY_CONTAINS":
                check(f, a, 2, 2, t -> t instanceof SqlType.ArrayType, t -> true);
                return fn(SqlType.BOOLEAN, a, ScalarFunctions::arrayContains);
            default:
                if (AGGREGATES.contains(f.name())) {
                    throw new SqlPlanningException(
                            f.pos(), "aggregate function " + f.name() + " is not allowed here");
                }
                throw new SqlPlanningException(f.pos(), "unknown function " + f.name());
        }
    }

    /** CONCAT and {@code ||}: NULL arguments are skipped; non-strings use their text. */
    static TypedExpr concat(List<TypedExpr> a) {
        return TypedExpr.of(
                SqlType.STRING,
                ctx -> {
                    StringBuilder sb = new StringBuilder();
                    for (TypedExpr x : a) {
                        JsonNode v = x.eval(ctx);
                        if (!SqlValues.isNull(v)) {
                            sb.append(v.isValueNode() ? v.asText() : v.toString());
                        }
                    }
                    return SqlValues.of(sb.toString());
                });
    }

    @SafeVarargs
    private static void check(
            FunctionCall f, List<TypedExpr> a, int min, int max, Predicate<SqlType>... types) {
        if (a.size() < min || a.size() > max) {
            throw new SqlPlanningException(
                    f.pos(),
                    f.name()
                            + " takes "
                            + (min == max
                                    ? min
                                    : min + " to " + (max == Integer.MAX_VALUE ? "n" : max))
                            + " arguments, got "
                            + a.size());
        }
        for (int i = 0; i < a.size(); i++) {
            Predicate<SqlType> p = types[Math.min(i, types.length - 1)];
            SqlType t = a.get(i).type();
            if (!(t instanceof SqlType.NullType) && !p.test(t)) {
                throw new SqlPlanningException(
                        f.args().get(i).pos(),
                        f.name() + " does not accept " + t.sql() + " as argument " + (i + 1));
            }
        }
    }

    private static TypedExpr fn(
            SqlType type, List<TypedExpr> a, Function<JsonNode[], JsonNode> impl) {
        return TypedExpr.of(
                type,
                ctx -> {
                    JsonNode[] v = new JsonNode[a.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.get(i).eval(ctx);
                        if (SqlValues.isNull(v[i])) {
                            return SqlValues.nullValue();
                        }
                    }
                    return impl.apply(v);
                });
    }

    private static TypedExpr str(
            FunctionCall f, List<TypedExpr> a, int min, int max, Function<JsonNode[], String> s) {
        check(f, a, min, max, STRING);
        return fn(SqlType.STRING, a, v -> SqlValues.of(s.apply(v)));
    }

    private static TypedExpr dbl(
            FunctionCall f, List<TypedExpr> a, int n, Function<double[], Double> d) {
        check(f, a, n, n, NUMBER);
        return fn(
                SqlType.DOUBLE,
                a,
                v -> {
                    double[] x = new double[v.length];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = v[i].doubleValue();
                    }
                    return SqlValues.of(d.apply(x));
                });
    }

    private static JsonNode math(JsonNode v, SqlType t, java.util.function.DoubleUnaryOperator op) {
        if (t.isIntegral()) {
            return SqlValues.of((long) op.applyAsDouble(v.longValue()));
        }
        if (t instanceof SqlType.DecimalType) {
            return SqlValues.of(BigDecimal.valueOf(op.applyAsDouble(v.doubleValue())));
        }
        return SqlValues.of(op.applyAsDouble(v.doubleValue()));
    }

    private static JsonNode round(JsonNode[] v, SqlType t) {
        int digits = v.length > 1 ? (int) v[1].longValue() : 0;
        if (t.isIntegral()) {
            return v[0];
        }
        BigDecimal r = v[0].decimalValue().setScale(digits, RoundingMode.HALF_UP);
        return t instanceof SqlType.DecimalType ? SqlValues.of(r) : SqlValues.of(r.doubleValue());
    }

    private static JsonNode substring(JsonNode[] v) {
        String s = v[0].asText();
        int from = (int) Math.max(1, v[1].longValue()) - 1;
        if (from >= s.length()) {
            return SqlValues.of("");
        }
        int to = v.length > 2 ? (int) Math.min(s.length(), from + v[2].longValue()) : s.length();
        return SqlValues.of(s.substring(from, Math.max(from, to)));
    }

    private static JsonNode split(JsonNode[] v) {
        ArrayNode out = SqlValues.NODES.arrayNode();
        for (String p : v[0].asText().split(java.util.regex.Pattern.quote(v[1].asText()), -1)) {
            out.add(p);
        }
        return out;
    }

    private static JsonNode pad(JsonNode[] v, boolean left) {
        String s = v[0].asText();
        int len = (int) v[1].longValue();
        String p = v[2].asText();
        if (len <= s.length() || p.isEmpty()) {
            return SqlValues.of(s.substring(0, Math.max(0, Math.min(len, s.length()))));
        }
        StringBuilder padding = new StringBuilder();
        while (padding.length() < len - s.length()) {
            padding.append(p);
        }
        String fill = padding.substring(0, len - s.length());
        return SqlValues.of(left ? fill + s : s + fill);
    }

    private static TypedExpr extreme(FunctionCall f, List<TypedExpr> a, boolean greatest) {
        check(f, a, 1, Integer.MAX_VALUE, t -> true);
        SqlType t = SqlType.NULL;
        for (int i = 0; i < a.size(); i++) {
            t = Types.common(t, a.get(i).type(), f.args().get(i).pos(), f.name());
        }
        SqlType type = t;
        return TypedExpr.of(
                type,
                ctx -> {
                    JsonNode best = null;
                    for (TypedExpr x : a) {
                        JsonNode v = x.eval(ctx);
                        if (!SqlValues.isNull(v)) {
                            int c = best == null ? 0 : SqlValues.compare(v, best);
                            if (best == null || (greatest ? c > 0 : c < 0)) {
                                best = v;
                            }
                        }
                    }
                    return best == null ? SqlValues.nullValue() : SqlValues.coerce(best, type);
                });
    }

    private static TypedExpr coalesce(FunctionCall f, List<TypedExpr> a) {
        int max = f.name().equals("IFNULL") ? 2 : Integer.MAX_VALUE;
        check(f, a, f.name().equals("IFNULL") ? 2 : 1, max, t -> true);
        SqlType t = SqlType.NULL;
        for (int i = 0; i < a.size(); i++) {
            t = Types.common(t, a.get(i).type(), f.args().get(i).pos(), f.name());
        }
        SqlType type = t;
        return TypedExpr.of(
                type,
                ctx -> {
                    for (TypedExpr x : a) {
                        JsonNode v = x.eval(ctx);
                        if (!SqlValues.isNull(v)) {
                            return SqlValues.coerce(v, type);
                        }
                    }
                    return SqlValues.nullValue();
                });
    }

    private static ZoneId zone(JsonNode[] v) {
        return v.length > 2 ? ZoneId.of(v[2].asText()) : ZoneOffset.UTC;
    }

    private static JsonNode formatTime(JsonNode[] v) {
        try {
            DateTimeFormatter fmt = DateTimeFormatter.ofPattern(v[1].asText());
            return SqlValues.of(fmt.format(Instant.ofEpochMilli(v[0].longValue()).atZone(zone(v))));
        } catch (RuntimeException e) {
            return SqlValues.nullValue();
        }
    }

    private static JsonNode parseTime(JsonNode[] v) {
        try {
            DateTimeFormatter fmt = DateTimeFormatter.ofPattern(v[1].asText());
            LocalDateTime t = LocalDateTime.parse(v[0].asText(), fmt);
            return SqlValues.of(t.atZone(zone(v)).toInstant().toEpochMilli());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return SqlValues.nullValue();
        }
    }

    private static JsonNode arrayContains(JsonNode[] v) {
        for (JsonNode e : v[0]) {
            if (!SqlValues.isNull(e) && SqlValues.equal(e, v[1])) {
                return SqlValues.of(true);
            }
        }
        return SqlValues.of(false);
    }
}
