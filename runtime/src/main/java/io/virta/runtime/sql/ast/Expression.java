package io.virta.runtime.sql.ast;

import io.virta.runtime.sql.Position;
import io.virta.runtime.types.SqlType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A SQL expression as written. Every node knows where it starts in the text so that the planner can
 * report type errors precisely. Nodes are immutable records; equality includes the position, use
 * {@link SqlFormatter#format(Expression)} to compare two expressions by meaning.
 */
public sealed interface Expression {

    /**
     * @return where this expression starts
     */
    Position pos();

    /** {@code NULL}. */
    record NullLiteral(Position pos) implements Expression {}

    /** {@code TRUE} / {@code FALSE}. */
    record BooleanLiteral(boolean value, Position pos) implements Expression {}

    /** An integer literal such as {@code 1000}: INT when it fits, else BIGINT. */
    record IntegerLiteral(long value, Position pos) implements Expression {}

    /** A literal with a point such as {@code 500.00}: DECIMAL. */
    record DecimalLiteral(BigDecimal value, Position pos) implements Expression {
        /** Checks the value is present. */
        public DecimalLiteral {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A literal with an exponent such as {@code 1.5E3}: DOUBLE. */
    record DoubleLiteral(double value, Position pos) implements Expression {}

    /** A quoted string {@code 'deposit'}, unescaped. */
    record StringLiteral(String value, Position pos) implements Expression {
        /** Checks the value is present. */
        public StringLiteral {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A column: {@code amount} or {@code p.amount}.
     *
     * @param qualifier the relation alias, or null
     * @param name the column name as written (resolved ignoring case)
     */
    record ColumnRef(String qualifier, String name, Position pos) implements Expression {
        /** Checks the name is present. */
        public ColumnRef {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A nested field: {@code properties->page}. */
    record Dereference(Expression base, String field, Position pos) implements Expression {}

    /** An element: {@code tags[1]} (1-based, like ksqlDB) or {@code attrs['k']}. */
    record Subscript(Expression base, Expression index, Position pos) implements Expression {}

    /**
     * A function call: scalar ({@code UCASE(x)}) or aggregate ({@code COUNT(DISTINCT x)}, {@code
     * COUNT(*)}).
     *
     * @param name the function name, upper case
     * @param args the arguments; empty for {@code COUNT(*)}
     * @param distinct whether {@code DISTINCT} was written
     * @param star whether the argument was {@code *}
     */
    record FunctionCall(
            String name, List<Expression> args, boolean distinct, boolean star, Position pos)
            implements Expression {
        /** Copies the arguments. */
        public FunctionCall {
            args = List.copyOf(args);
        }
    }

    /** {@code -x} or {@code +x}. */
    record Negation(Expression operand, Position pos) implements Expression {}

    /** {@code NOT x}. */
    record Not(Expression operand, Position pos) implements Expression {}

    /** A binary operator; see {@link BinaryOp}. */
    record Binary(BinaryOp op, Expression left, Expression right, Position pos)
            implements Expression {}

    /** {@code x [NOT] BETWEEN low AND high}. */
    record Between(Expression value, Expression low, Expression high, boolean negated, Position pos)
            implements Expression {}

    /** {@code x [NOT] IN (a, b, ...)}. */
    record InList(Expression value, List<Expression> list, boolean negated, Position pos)
            implements Expression {
        /** Copies the list. */
        public InList {
            list = List.copyOf(list);
        }
    }

    /**
     * {@code x [NOT] LIKE pattern [ESCAPE 'c']}: {@code %} any run, {@code _} one character.
     *
     * @param escape the escape character, or null
     */
    record Like(
            Expression value, Expression pattern, Character escape, boolean negated, Position pos)
            implements Expression {}

    /** {@code x IS [NOT] NULL}. */
    record IsNull(Expression value, boolean negated, Position pos) implements Expression {}

    /**
     * {@code CASE [operand] WHEN .. THEN .. [ELSE ..] END}.
     *
     * @param operand the simple-case operand, or null for a searched case
     * @param whens the branches, in order
     * @param otherwise the ELSE branch, or null (NULL)
     */
    record Case(Expression operand, List<When> whens, Expression otherwise, Position pos)
            implements Expression {
        /** Copies the branches. */
        public Case {
            whens = List.copyOf(whens);
        }
    }

    /** One {@code WHEN condition THEN result} branch of a {@link Case}. */
    record When(Expression condition, Expression result) {}

    /** {@code CAST(x AS type)}. */
    record Cast(Expression value, SqlType type, Position pos) implements Expression {}

    /** {@code ARRAY[a, b]}. */
    record ArrayConstructor(List<Expression> elements, Position pos) implements Expression {
        /** Copies the elements. */
        public ArrayConstructor {
            elements = List.copyOf(elements);
        }
    }

    /** {@code WINDOWSTART} or {@code WINDOWEND}: the bounds of the current window (TIMESTAMP). */
    record WindowBound(boolean start, Position pos) implements Expression {}

    /** Binary operators, with their SQL spelling. */
    enum BinaryOp {
        ADD("+"),
        SUBTRACT("-"),
        MULTIPLY("*"),
        DIVIDE("/"),
        MODULO("%"),
        CONCAT("||"),
        EQ("="),
        NEQ("<>"),
        LT("<"),
        LTE("<="),
        GT(">"),
        GTE(">="),
        AND("AND"),
        OR("OR");

        private final String sql;

        BinaryOp(String sql) {
            this.sql = sql;
        }

        /**
         * @return the operator as written in SQL
         */
        public String sql() {
            return sql;
        }

        /**
         * @return true for {@code = <> < <= > >=}
         */
        public boolean isComparison() {
            return this == EQ
                    || this == NEQ
                    || this == LT
                    || this == LTE
                    || this == GT
                    || this == GTE;
        }

        /**
         * @return true for {@code + - * / %}
         */
        public boolean isArithmetic() {
            return this == ADD
                    || this == SUBTRACT
                    || this == MULTIPLY
                    || this == DIVIDE
                    || this == MODULO;
        }
    }
}
