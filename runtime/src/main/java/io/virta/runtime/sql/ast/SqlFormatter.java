package io.virta.runtime.sql.ast;

import io.virta.runtime.sql.ast.Expression.ArrayConstructor;
import io.virta.runtime.sql.ast.Expression.Between;
import io.virta.runtime.sql.ast.Expression.Binary;
import io.virta.runtime.sql.ast.Expression.BooleanLiteral;
import io.virta.runtime.sql.ast.Expression.Case;
import io.virta.runtime.sql.ast.Expression.Cast;
import io.virta.runtime.sql.ast.Expression.ColumnRef;
import io.virta.runtime.sql.ast.Expression.DecimalLiteral;
import io.virta.runtime.sql.ast.Expression.Dereference;
import io.virta.runtime.sql.ast.Expression.DoubleLiteral;
import io.virta.runtime.sql.ast.Expression.FunctionCall;
import io.virta.runtime.sql.ast.Expression.InList;
import io.virta.runtime.sql.ast.Expression.IntegerLiteral;
import io.virta.runtime.sql.ast.Expression.IsNull;
import io.virta.runtime.sql.ast.Expression.Like;
import io.virta.runtime.sql.ast.Expression.Negation;
import io.virta.runtime.sql.ast.Expression.Not;
import io.virta.runtime.sql.ast.Expression.NullLiteral;
import io.virta.runtime.sql.ast.Expression.StringLiteral;
import io.virta.runtime.sql.ast.Expression.Subscript;
import io.virta.runtime.sql.ast.Expression.WindowBound;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints expressions back as canonical SQL: fully parenthesised binary operators, upper-case
 * keywords and function names, lower-case unqualified column names. Two expressions that differ
 * only in spacing, case of identifiers or position print the same, which is how the planner matches
 * a select item against a {@code GROUP BY} expression.
 */
public final class SqlFormatter {

    private SqlFormatter() {}

    /**
     * @param e an expression
     * @return its canonical SQL text
     */
    public static String format(Expression e) {
        if (e instanceof NullLiteral n) {
            return "NULL";
        }

        if (e instanceof BooleanLiteral b) {
            return b.value() ? "TRUE" : "FALSE";
        }

        if (e instanceof IntegerLiteral i) {
            return Long.toString(i.value());
        }

        if (e instanceof DecimalLiteral d) {
            return d.value().toPlainString();
        }

        if (e instanceof DoubleLiteral d) {
            return Double.toString(d.value());
        }

        if (e instanceof StringLiteral s) {
            return "'" + s.value().replace("'", "''") + "'";
        }

        if (e instanceof ColumnRef c) {
            return (c.qualifier() == null ? "" : c.qualifier().toLowerCase(Locale.ROOT) + ".")
                    + c.name().toLowerCase(Locale.ROOT);
        }

        if (e instanceof Dereference d) {
            return format(d.base()) + "->" + d.field().toLowerCase(Locale.ROOT);
        }

        if (e instanceof Subscript s) {
            return format(s.base()) + "[" + format(s.index()) + "]";
        }

        if (e instanceof FunctionCall f) {
            return f.name()
                    + "("
                    + (f.star() ? "*" : (f.distinct() ? "DISTINCT " : "") + list(f.args()))
                    + ")";
        }

        if (e instanceof Negation n) {
            return "(-" + format(n.operand()) + ")";
        }

        if (e instanceof Not n) {
            return "(NOT " + format(n.operand()) + ")";
        }

        if (e instanceof Binary b) {
            return "(" + format(b.left()) + " " + b.op().sql() + " " + format(b.right()) + ")";
        }

        if (e instanceof Between b) {
            return "("
                    + format(b.value())
                    + (b.negated() ? " NOT" : "")
                    + " BETWEEN "
                    + format(b.low())
                    + " AND "
                    + format(b.high())
                    + ")";
        }

        if (e instanceof InList in) {
            return "("
                    + format(in.value())
                    + (in.negated() ? " NOT" : "")
                    + " IN ("
                    + list(in.list())
                    + "))";
        }

        if (e instanceof Like l) {
            return "("
                    + format(l.value())
                    + (l.negated() ? " NOT" : "")
                    + " LIKE "
                    + format(l.pattern())
                    + (l.escape() == null ? "" : " ESCAPE '" + l.escape() + "'")
                    + ")";
        }

        if (e instanceof IsNull n) {
            return "(" + format(n.value()) + (n.negated() ? " IS NOT NULL)" : " IS NULL)");
        }

        if (e instanceof Case c) {
            return formatCase(c);
        }

        if (e instanceof Cast c) {
            return "CAST(" + format(c.value()) + " AS " + c.type().sql() + ")";
        }

        if (e instanceof ArrayConstructor a) {
            return "ARRAY[" + list(a.elements()) + "]";
        }

        if (e instanceof WindowBound w) {
            return w.start() ? "WINDOWSTART" : "WINDOWEND";
        }
        throw new IllegalStateException("unknown expression " + e);
    }

    private static String formatCase(Case c) {
        StringBuilder sb = new StringBuilder("CASE");
        if (c.operand() != null) {
            sb.append(' ').append(format(c.operand()));
        }
        for (Expression.When w : c.whens()) {
            sb.append(" WHEN ")
                    .append(format(w.condition()))
                    .append(" THEN ")
                    .append(format(w.result()));
        }
        if (c.otherwise() != null) {
            sb.append(" ELSE ").append(format(c.otherwise()));
        }
        return sb.append(" END").toString();
    }

    private static String list(List<Expression> es) {
        return es.stream().map(SqlFormatter::format).collect(Collectors.joining(", "));
    }
}
