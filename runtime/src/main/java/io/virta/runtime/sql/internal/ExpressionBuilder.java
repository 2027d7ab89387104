package io.virta.runtime.sql.internal;

import io.virta.runtime.sql.Position;
import io.virta.runtime.sql.SqlSyntaxException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Expression.BinaryOp;
import io.virta.runtime.sql.internal.antlr.VirtaSqlBaseVisitor;
import io.virta.runtime.sql.internal.antlr.VirtaSqlParser;
import io.virta.runtime.types.SqlType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** INTERNAL API: builds {@link Expression} and {@link SqlType} nodes from the parse tree. */
final class ExpressionBuilder extends VirtaSqlBaseVisitor<Object> {

    static Position pos(ParserRuleContext ctx) {
        return pos(ctx.getStart());
    }

    static Position pos(Token t) {
        return new Position(t.getLine(), t.getCharPositionInLine() + 1);
    }

    Expression expr(ParserRuleContext ctx) {
        return (Expression) visit(ctx);
    }

    List<Expression> exprs(List<? extends ParserRuleContext> ctxs) {
        List<Expression> out = new ArrayList<>(ctxs.size());
        for (ParserRuleContext c : ctxs) {
            out.add(expr(c));
        }
        return out;
    }

    /** Identifier text: unquoted as written, quoted with the quotes removed. */
    static String identifier(VirtaSqlParser.IdentifierContext ctx) {
        if (ctx instanceof VirtaSqlParser.QuotedIdentifierContext q) {
            String t = q.getText();
            return t.substring(1, t.length() - 1).replace("\"\"", "\"");
        }
        if (ctx instanceof VirtaSqlParser.BackQuotedIdentifierContext q) {
            String t = q.getText();
            return t.substring(1, t.length() - 1).replace("``", "`");
        }
        return ctx.getText();
    }

    static String unquote(String literal) {
        return literal.substring(1, literal.length() - 1).replace("''", "'");
    }

    @Override
    public Object visitExpression(VirtaSqlParser.ExpressionContext ctx) {
        return visit(ctx.booleanExpression());
    }

    @Override
    public Object visitLogicalNot(VirtaSqlParser.LogicalNotContext ctx) {
        return new Expression.Not(expr(ctx.booleanExpression()), pos(ctx));
    }

    @Override
    public Object visitPredicatedExpression(VirtaSqlParser.PredicatedExpressionContext ctx) {
        return visit(ctx.predicated());
    }

    @Override
    public Object visitLogicalBinary(VirtaSqlParser.LogicalBinaryContext ctx) {
        BinaryOp op = ctx.op.getType() == VirtaSqlParser.AND ? BinaryOp.AND : BinaryOp.OR;
        return new Expression.Binary(op, expr(ctx.left), expr(ctx.right), pos(ctx.op));
    }

    @Override
    public Object visitPredicated(VirtaSqlParser.PredicatedContext ctx) {
        Expression value = expr(ctx.valueExpression());
        VirtaSqlParser.PredicateContext p = ctx.predicate();
        if (p == null) {
            return value;
        }
        Position at = pos(p);
        if (p instanceof VirtaSqlParser.ComparisonContext c) {
            return new Expression.Binary(
                    comparison(c.comparisonOperator()), value, expr(c.right), at);
        }
        if (p instanceof VirtaSqlParser.BetweenContext b) {
            return new Expression.Between(value, expr(b.lower), expr(b.upper), b.NOT() != null, at);
        }
        if (p instanceof VirtaSqlParser.InListContext in) {
            return new Expression.InList(value, exprs(in.expression()), in.NOT() != null, at);
        }
        if (p instanceof VirtaSqlParser.LikeContext l) {
            Character escape = null;
            if (l.escape != null) {
                String e = unquote(l.escape.getText());
                if (e.length() != 1) {
                    throw new SqlSyntaxException(
                            pos(l.escape),
                            l.escape.getText(),
                            List.of(),
                            "ESCAPE must be a single character");
                }
                escape = e.charAt(0);
            }
            return new Expression.Like(value, expr(l.pattern), escape, l.NOT() != null, at);
        }
        VirtaSqlParser.NullPredicateContext n = (VirtaSqlParser.NullPredicateContext) p;
        return new Expression.IsNull(value, n.NOT() != null, at);
    }

    private static BinaryOp comparison(VirtaSqlParser.ComparisonOperatorContext c) {
        return switch (c.getStart().getType()) {
            case VirtaSqlParser.EQ -> BinaryOp.EQ;
            case VirtaSqlParser.NEQ -> BinaryOp.NEQ;
            case VirtaSqlParser.LT -> BinaryOp.LT;
            case VirtaSqlParser.LTE -> BinaryOp.LTE;
            case VirtaSqlParser.GT -> BinaryOp.GT;
            default -> BinaryOp.GTE;
        };
    }

    @Override
    public Object visitValueDefault(VirtaSqlParser.ValueDefaultContext ctx) {
        return visit(ctx.primaryExpression());
    }

    @Override
    public Object visitArithmeticUnary(VirtaSqlParser.ArithmeticUnaryContext ctx) {
        Expression operand = expr(ctx.valueExpression());
        if (ctx.op.getType() == VirtaSqlParser.PLUS) {
            return operand;
        }
        if (operand instanceof Expression.IntegerLiteral i) {
            return new Expression.IntegerLiteral(-i.value(), pos(ctx));
        }
        if (operand instanceof Expression.DecimalLiteral d) {
            return new Expression.DecimalLiteral(d.value().negate(), pos(ctx));
        }
        if (operand instanceof Expression.DoubleLiteral d) {
            return new Expression.DoubleLiteral(-d.value(), pos(ctx));
        }
        return new Expression.Negation(operand, pos(ctx));
    }

    @Override
    public Object visitArithmeticBinary(VirtaSqlParser.ArithmeticBinaryContext ctx) {
        BinaryOp op =
                switch (ctx.op.getType()) {
                    case VirtaSqlParser.PLUS -> BinaryOp.ADD;
                    case VirtaSqlParser.MINUS -> BinaryOp.SUBTRACT;
                    case VirtaSqlParser.ASTERISK -> BinaryOp.MULTIPLY;
                    case VirtaSqlParser.SLASH -> BinaryOp.DIVIDE;
                    default -> BinaryOp.MODULO;
                };
        return new Expression.Binary(op, expr(ctx.left), expr(ctx.right), pos(ctx.op));
    }

    @Override
    public Object visitConcatenation(VirtaSqlParser.ConcatenationContext ctx) {
        return new Expression.Binary(
                BinaryOp.CONCAT, expr(ctx.left), expr(ctx.right), pos(ctx.CONCAT().getSymbol()));
    }

    @Override
    public Object visitLiteralExpression(VirtaSqlParser.LiteralExpressionContext ctx) {
        return visit(ctx.literal());
    }

    @Override
    public Object visitSimpleCase(VirtaSqlParser.SimpleCaseContext ctx) {
        return new Expression.Case(
                expr(ctx.operand), whens(ctx.whenClause()), optional(ctx.elseExpression), pos(ctx));
    }

    @Override
    public Object visitSearchedCase(VirtaSqlParser.SearchedCaseContext ctx) {
        return new Expression.Case(
                null, whens(ctx.whenClause()), optional(ctx.elseExpression), pos(ctx));
    }

    private List<Expression.When> whens(List<VirtaSqlParser.WhenClauseContext> ws) {
        List<Expression.When> out = new ArrayList<>();
        for (VirtaSqlParser.WhenClauseContext w : ws) {
            out.add(new Expression.When(expr(w.condition), expr(w.result)));
        }
        return out;
    }

    private Expression optional(ParserRuleContext ctx) {
        return ctx == null ? null : expr(ctx);
    }

    @Override
    public Object visitCast(VirtaSqlParser.CastContext ctx) {
        return new Expression.Cast(expr(ctx.expression()), type(ctx.type()), pos(ctx));
    }

    @Override
    public Object visitArrayConstructor(VirtaSqlParser.ArrayConstructorContext ctx) {
        return new Expression.ArrayConstructor(exprs(ctx.expression()), pos(ctx));
    }

    @Override
    public Object visitFunctionCallStar(VirtaSqlParser.FunctionCallStarContext ctx) {
        return new Expression.FunctionCall(
                identifier(ctx.name).toUpperCase(Locale.ROOT), List.of(), false, true, pos(ctx));
    }

    @Override
    public Object visitFunctionCall(VirtaSqlParser.FunctionCallContext ctx) {
        return new Expression.FunctionCall(
                identifier(ctx.name).toUpperCase(Locale.ROOT),
                exprs(ctx.expression()),
                ctx.DISTINCT() != null,
                false,
                pos(ctx));
    }

    @Override
    public Object visitWindowStart(VirtaSqlParser.WindowStartContext ctx) {
        return new Expression.WindowBound(true, pos(ctx));
    }

    @Override
    public Object visitWindowEnd(VirtaSqlParser.WindowEndContext ctx) {
        return new Expression.WindowBound(false, pos(ctx));
    }

    @Override
    public Object visitColumnReference(VirtaSqlParser.ColumnReferenceContext ctx) {
        return new Expression.ColumnRef(null, identifier(ctx.identifier()), pos(ctx));
    }

    @Override
    public Object visitQualifiedColumnReference(
            VirtaSqlParser.QualifiedColumnReferenceContext ctx) {
        return new Expression.ColumnRef(
                identifier(ctx.qualifier), identifier(ctx.column), pos(ctx));
    }

    @Override
    public Object visitDereference(VirtaSqlParser.DereferenceContext ctx) {
        return new Expression.Dereference(expr(ctx.base), identifier(ctx.field), pos(ctx.field));
    }

    @Override
    public Object visitSubscript(VirtaSqlParser.SubscriptContext ctx) {
        return new Expression.Subscript(expr(ctx.value), expr(ctx.index), pos(ctx));
    }

    @Override
    public Object visitParenthesized(VirtaSqlParser.ParenthesizedContext ctx) {
        return visit(ctx.expression());
    }

    @Override
    public Object visitNullLiteral(VirtaSqlParser.NullLiteralContext ctx) {
        return new Expression.NullLiteral(pos(ctx));
    }

    @Override
    public Object visitBooleanLiteral(VirtaSqlParser.BooleanLiteralContext ctx) {
        return new Expression.BooleanLiteral(ctx.TRUE() != null, pos(ctx));
    }

    @Override
    public Object visitIntegerLiteral(VirtaSqlParser.IntegerLiteralContext ctx) {
        try {
            return new Expression.IntegerLiteral(Long.parseLong(ctx.getText()), pos(ctx));
        } catch (NumberFormatException e) {
            return new Expression.DecimalLiteral(new BigDecimal(ctx.getText()), pos(ctx));
        }
    }

    @Override
    public Object visitDecimalLiteral(VirtaSqlParser.DecimalLiteralContext ctx) {
        return new Expression.DecimalLiteral(new BigDecimal(ctx.getText()), pos(ctx));
    }

    @Override
    public Object visitDoubleLiteral(VirtaSqlParser.DoubleLiteralContext ctx) {
        return new Expression.DoubleLiteral(Double.parseDouble(ctx.getText()), pos(ctx));
    }

    @Override
    public Object visitStringLiteral(VirtaSqlParser.StringLiteralContext ctx) {
        return new Expression.StringLiteral(unquote(ctx.getText()), pos(ctx));
    }

    SqlType type(VirtaSqlParser.TypeContext ctx) {
        if (ctx instanceof VirtaSqlParser.ArrayTypeContext a) {
            return SqlType.array(type(a.type()));
        }
        if (ctx instanceof VirtaSqlParser.MapTypeContext m) {
            return new SqlType.MapType(type(m.keyType), type(m.valueType));
        }
        if (ctx instanceof VirtaSqlParser.StructTypeContext s) {
            List<SqlType.Field> fields = new ArrayList<>();
            for (VirtaSqlParser.StructFieldContext f : s.structField()) {
                fields.add(new SqlType.Field(identifier(f.identifier()), type(f.type())));
            }
            return SqlType.struct(fields);
        }
        if (ctx instanceof VirtaSqlParser.DecimalTypeContext d) {
            if (d.precision == null) {
                return SqlType.DECIMAL;
            }
            try {
                return new SqlType.DecimalType(
                        Integer.parseInt(d.precision.getText()),
                        Integer.parseInt(d.scale.getText()));
            } catch (IllegalArgumentException e) {
                throw new SqlSyntaxException(pos(d), d.getText(), List.of(), e.getMessage());
            }
        }
        VirtaSqlParser.BaseTypeContext b = ((VirtaSqlParser.PrimitiveTypeContext) ctx).baseType();
        return switch (b.getStart().getType()) {
            case VirtaSqlParser.BOOLEAN -> SqlType.BOOLEAN;
            case VirtaSqlParser.INT, VirtaSqlParser.INTEGER -> SqlType.INT;
            case VirtaSqlParser.BIGINT -> SqlType.BIGINT;
            case VirtaSqlParser.DOUBLE -> SqlType.DOUBLE;
            case VirtaSqlParser.TIMESTAMP -> SqlType.TIMESTAMP;
            default -> SqlType.STRING;
        };
    }
}
