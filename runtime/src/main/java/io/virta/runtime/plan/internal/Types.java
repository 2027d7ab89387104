package io.virta.runtime.plan.internal;

import io.virta.runtime.sql.Position;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.types.SqlType;

/** INTERNAL API: type rules: widening, comparability, assignability. */
public final class Types {

    private Types() {}

    private static int rank(SqlType t) {
        if (t instanceof SqlType.IntType) {
            return 1;
        }
        if (t instanceof SqlType.BigIntType) {
            return 2;
        }
        if (t instanceof SqlType.DecimalType) {
            return 3;
        }
        if (t instanceof SqlType.DoubleType) {
            return 4;
        }
        return 0;
    }

    /**
     * The common type of two types, or null when there is none: NULL goes with anything, numbers
     * widen INT &lt; BIGINT &lt; DECIMAL &lt; DOUBLE, otherwise the types must be equal.
     *
     * @param a a type
     * @param b a type
     * @return the common type, or null
     */
    public static SqlType common(SqlType a, SqlType b) {
        if (a instanceof SqlType.NullType) {
            return b;
        }
        if (b instanceof SqlType.NullType || a.equals(b)) {
            return a;
        }
        if (a.isNumeric() && b.isNumeric()) {
            if (a instanceof SqlType.DecimalType && b instanceof SqlType.DecimalType) {
                return SqlType.DECIMAL;
            }
            return rank(a) >= rank(b) ? a : b;
        }
        if (a instanceof SqlType.TimestampType && b.isIntegral()
                || b instanceof SqlType.TimestampType && a.isIntegral()) {
            return SqlType.TIMESTAMP;
        }
        return null;
    }

    /**
     * @param a a type
     * @param b a type
     * @param pos where the two meet, for the error
     * @param what what combines them, for the error
     * @return their common type
     * @throws SqlPlanningException when there is none
     */
    public static SqlType common(SqlType a, SqlType b, Position pos, String what) {
        SqlType c = common(a, b);
        if (c == null) {
            throw new SqlPlanningException(
                    pos, what + " cannot combine " + a.sql() + " and " + b.sql());
        }
        return c;
    }

    /**
     * @param target a column type
     * @param value a value's type
     * @return whether a value of that type may be stored in the column (after coercion)
     */
    public static boolean assignable(SqlType target, SqlType value) {
        if (value instanceof SqlType.NullType || target.equals(value)) {
            return true;
        }
        if (target.isNumeric() && value.isNumeric()) {
            return true;
        }
        if (target instanceof SqlType.TimestampType
                && (value.isIntegral() || value instanceof SqlType.StringType)) {
            return true;
        }
        return target.getClass().equals(value.getClass());
    }
}
