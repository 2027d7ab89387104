package io.virta.runtime.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.virta.runtime.time.IsoInstants;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * Run-time values: every SQL value is a Jackson {@link JsonNode}, read according to its static
 * {@link SqlType}. SQL {@code NULL} is {@link NullNode} (never Java null). Values are treated as
 * immutable: nobody mutates a node once it is a value.
 */
public final class SqlValues {

    /** The node factory for values; decimals keep their scale. */
    public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private SqlValues() {}

    /**
     * @return SQL NULL
     */
    public static JsonNode nullValue() {
        return NullNode.getInstance();
    }

    /**
     * @param v a value, possibly Java null or a missing node
     * @return true when it is SQL NULL
     */
    public static boolean isNull(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    /**
     * @param b a Java boolean
     * @return the BOOLEAN value
     */
    public static JsonNode of(boolean b) {
        return BooleanNode.valueOf(b);
    }

    /**
     * @param n a long
     * @return the INT/BIGINT/TIMESTAMP value
     */
    public static JsonNode of(long n) {
        return LongNode.valueOf(n);
    }

    /**
     * @param d a double
     * @return the DOUBLE value; NaN and infinities become NULL (JSON cannot carry them)
     */
    public static JsonNode of(double d) {
        return Double.isFinite(d) ? DoubleNode.valueOf(d) : NullNode.getInstance();
    }

    /**
     * @param d a decimal, or null
     * @return the DECIMAL value
     */
    public static JsonNode of(BigDecimal d) {
        return d == null ? NullNode.getInstance() : DecimalNode.valueOf(d);
    }

    /**
     * @param s a string, or null
     * @return the STRING value
     */
    public static JsonNode of(String s) {
        return s == null ? NullNode.getInstance() : TextNode.valueOf(s);
    }

    /** True for an optional minus and one or more digits (what a timestamp in millis reads as). */
    private static boolean isInteger(String s) {
        int from = s.startsWith("-") ? 1 : 0;
        if (s.length() == from) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a JSON value as the given type, leniently: numbers in strings are parsed, ISO-8601
     * strings become timestamps, a decimal is rescaled to the declared scale. A value that cannot
     * be read as the type becomes NULL.
     *
     * @param v the raw JSON (null or missing means NULL)
     * @param type the declared type
     * @return the value in the canonical node class of the type
     */
    public static JsonNode coerce(JsonNode v, SqlType type) {
        if (isNull(v)) {
            return NullNode.getInstance();
        }
        try {
            if (type instanceof SqlType.BooleanType) {
                if (v.isBoolean()) {
                    return v;
                }
                String s = v.asText();
                return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")
                        ? BooleanNode.valueOf(Boolean.parseBoolean(s))
                        : NullNode.getInstance();
            }
            if (type.isIntegral() || type instanceof SqlType.TimestampType) {
                if (v.isIntegralNumber()) {
                    return v instanceof LongNode ? v : LongNode.valueOf(v.longValue());
                }
                if (v.isNumber()) {
                    return LongNode.valueOf(v.longValue());
                }
                String s = v.asText().trim();
                if (type instanceof SqlType.TimestampType && !isInteger(s)) {
                    return LongNode.valueOf(IsoInstants.parseMillis(s));
                }
                return LongNode.valueOf(new BigDecimal(s).longValue());
            }
            if (type instanceof SqlType.DoubleType) {
                if (v.isDouble()) {
                    return v;
                }
                return of(v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText().trim()));
            }
            if (type instanceof SqlType.DecimalType d) {
                BigDecimal b = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
                return DecimalNode.valueOf(
                        d.scale() < 10 ? b.setScale(d.scale(), RoundingMode.HALF_UP) : b);
            }
            if (type instanceof SqlType.StringType) {
                return v.isTextual()
                        ? v
                        : TextNode.valueOf(v.isValueNode() ? v.asText() : v.toString());
            }
            if (type instanceof SqlType.ArrayType a) {
                if (!v.isArray()) {
                    return NullNode.getInstance();
                }
                ArrayNode out = NODES.arrayNode(v.size());
                v.forEach(e -> out.add(coerce(e, a.element())));
                return out;
            }
            if (type instanceof SqlType.StructType s) {
                if (!v.isObject()) {
                    return NullNode.getInstance();
                }
                ObjectNode out = NODES.objectNode();
                for (SqlType.Field f : s.fields()) {
                    out.set(f.name(), coerce(v.get(f.name()), f.type()));
                }
                return out;
            }
            if (type instanceof SqlType.MapType m) {
                if (!v.isObject()) {
                    return NullNode.getInstance();
                }
                ObjectNode out = NODES.objectNode();
                Iterator<Map.Entry<String, JsonNode>> it = v.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.set(e.getKey(), coerce(e.getValue(), m.value()));
                }
                return out;
            }
            return v;
        } catch (NumberFormatException | DateTimeParseException e) {
            return NullNode.getInstance();
        }
    }

    /**
     * Compares two non-null values of comparable types: numbers numerically (exactly when both are
     * integral or decimal), strings lexicographically, booleans false &lt; true.
     *
     * @param a a non-null value
     * @param b a non-null value
     * @return negative, zero or positive
     */
    public static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() && b.isIntegralNumber()) {
                return Long.compare(a.longValue(), b.longValue());
            }
            if (a.isDouble() || b.isDouble() || a.isFloat() || b.isFloat()) {
                return Double.compare(a.doubleValue(), b.doubleValue());
            }
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return Boolean.compare(a.booleanValue(), b.booleanValue());
        }
        return a.asText().compareTo(b.asText());
    }

    /**
     * SQL equality of two non-null values: numbers by value regardless of representation, others by
     * JSON equality.
     *
     * @param a a non-null value
     * @param b a non-null value
     * @return whether they are equal
     */
    public static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return compare(a, b) == 0;
        }
        return a.equals(b);
    }
}
