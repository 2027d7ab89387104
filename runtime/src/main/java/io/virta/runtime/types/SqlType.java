package io.virta.runtime.types;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The static type of a SQL column or expression.
 *
 * <p>Values of every type travel as Jackson {@code JsonNode}s at run time (see {@link SqlValues});
 * the type decides how an operator reads them: {@code INT} and {@code BIGINT} as {@code long},
 * {@code DOUBLE} as {@code double}, {@code DECIMAL} as {@code BigDecimal}, {@code TIMESTAMP} as
 * epoch milliseconds, {@code ARRAY} as a JSON array, {@code MAP} and {@code STRUCT} as JSON
 * objects.
 *
 * <pre>{@code
 * SqlType t = SqlType.struct(List.of(new SqlType.Field("page", SqlType.STRING)));
 * t.field("page");   // Optional[STRING]
 * }</pre>
 */
public sealed interface SqlType {

    /** {@code BOOLEAN}. */
    SqlType BOOLEAN = new BooleanType();

    /** {@code INT}: 32-bit signed integer. */
    SqlType INT = new IntType();

    /** {@code BIGINT}: 64-bit signed integer. */
    SqlType BIGINT = new BigIntType();

    /** {@code DOUBLE}: 64-bit IEEE 754. */
    SqlType DOUBLE = new DoubleType();

    /** {@code DECIMAL} with the widest precision and scale: used for unparameterised decimals. */
    SqlType DECIMAL = new DecimalType(38, 10);

    /** {@code STRING}. */
    SqlType STRING = new StringType();

    /** {@code TIMESTAMP}: epoch milliseconds, UTC. */
    SqlType TIMESTAMP = new TimestampType();

    /** The type of the {@code NULL} literal: assignable to every type. */
    SqlType NULL = new NullType();

    /**
     * @param element the element type
     * @return {@code ARRAY<element>}
     */
    static SqlType array(SqlType element) {
        return new ArrayType(element);
    }

    /**
     * @param fields the struct's fields, in order
     * @return {@code STRUCT<...>}
     */
    static SqlType struct(List<Field> fields) {
        return new StructType(fields);
    }

    /**
     * @return true for INT, BIGINT, DOUBLE and DECIMAL
     */
    default boolean isNumeric() {
        return this instanceof IntType
                || this instanceof BigIntType
                || this instanceof DoubleType
                || this instanceof DecimalType;
    }

    /**
     * @return true for INT and BIGINT
     */
    default boolean isIntegral() {
        return this instanceof IntType || this instanceof BigIntType;
    }

    /**
     * @return the SQL spelling of this type, e.g. {@code ARRAY<STRING>}
     */
    String sql();

    /** {@code BOOLEAN}. */
    record BooleanType() implements SqlType {
        @Override
        public String sql() {
            return "BOOLEAN";
        }
    }

    /** {@code INT}. */
    record IntType() implements SqlType {
        @Override
        public String sql() {
            return "INT";
        }
    }

    /** {@code BIGINT}. */
    record BigIntType() implements SqlType {
        @Override
        public String sql() {
            return "BIGINT";
        }
    }

    /** {@code DOUBLE}. */
    record DoubleType() implements SqlType {
        @Override
        public String sql() {
            return "DOUBLE";
        }
    }

    /**
     * {@code DECIMAL(precision, scale)}.
     *
     * @param precision total digits, 1..38
     * @param scale digits after the point, 0..precision
     */
    record DecimalType(int precision, int scale) implements SqlType {
        /**
         * @throws IllegalArgumentException when precision or scale is out of range
         */
        public DecimalType {
            if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                throw new IllegalArgumentException(
                        "DECIMAL(" + precision + "," + scale + ") is out of range");
            }
        }

        @Override
        public String sql() {
            return "DECIMAL(" + precision + "," + scale + ")";
        }
    }

    /** {@code STRING}. */
    record StringType() implements SqlType {
        @Override
        public String sql() {
            return "STRING";
        }
    }

    /** {@code TIMESTAMP}. */
    record TimestampType() implements SqlType {
        @Override
        public String sql() {
            return "TIMESTAMP";
        }
    }

    /** The type of {@code NULL}. */
    record NullType() implements SqlType {
        @Override
        public String sql() {
            return "NULL";
        }
    }

    /**
     * {@code ARRAY<element>}.
     *
     * @param element element type
     */
    record ArrayType(SqlType element) implements SqlType {
        /** Checks the element type is present. */
        public ArrayType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String sql() {
            return "ARRAY<" + element.sql() + ">";
        }
    }

    /**
     * {@code MAP<key, value>}; keys are strings at run time (JSON object field names).
     *
     * @param key key type
     * @param value value type
     */
    record MapType(SqlType key, SqlType value) implements SqlType {
        /** Checks both types are present. */
        public MapType {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String sql() {
            return "MAP<" + key.sql() + ", " + value.sql() + ">";
        }
    }

    /**
     * {@code STRUCT<name type, ...>}: a nested JSON object with known fields.
     *
     * @param fields fields in declaration order
     */
    record StructType(List<Field> fields) implements SqlType {
        /** Copies the field list. */
        public StructType {
            fields = List.copyOf(fields);
        }

        /**
         * Finds a field by name, exact match first, then ignoring case.
         *
         * @param name the field name
         * @return the field, if declared
         */
        public Optional<Field> field(String name) {
            for (Field f : fields) {
                if (f.name().equals(name)) {
                    return Optional.of(f);
                }
            }
            return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
        }

        @Override
        public String sql() {
            StringBuilder sb = new StringBuilder("STRUCT<");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(fields.get(i).name()).append(' ').append(fields.get(i).type().sql());
            }
            return sb.append('>').toString();
        }
    }

    /**
     * A field of a {@link StructType}.
     *
     * @param name field name as declared (the JSON field name)
     * @param type field type
     */
    record Field(String name, SqlType type) {
        /** Checks both parts are present. */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }
}
