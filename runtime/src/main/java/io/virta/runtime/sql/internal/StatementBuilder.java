package io.virta.runtime.sql.internal;

import static io.virta.runtime.sql.internal.ExpressionBuilder.identifier;
import static io.virta.runtime.sql.internal.ExpressionBuilder.pos;

import io.virta.runtime.sql.SqlSyntaxException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Query;
import io.virta.runtime.sql.ast.Query.WindowExpr;
import io.virta.runtime.sql.ast.Query.WindowKind;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.sql.ast.Statement.SourceKind;
import io.virta.runtime.sql.internal.antlr.VirtaSqlParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.antlr.v4.runtime.ParserRuleContext;

/** INTERNAL API: builds {@link Statement} nodes from the parse tree. */
public final class StatementBuilder {

    private final ExpressionBuilder exprs = new ExpressionBuilder();

    /**
     * @param ctx a parsed statement
     * @return its AST
     */
    public Statement statement(VirtaSqlParser.StatementContext ctx) {
        if (ctx instanceof VirtaSqlParser.CreateAsSelectContext c) {
            return new Statement.CreateAsSelect(
                    kind(c.kind.getType()),
                    identifier(c.name),
                    properties(c.withClause()),
                    query(c.query()),
                    c.REPLACE() != null,
                    c.EXISTS() != null,
                    pos(c));
        }
        if (ctx instanceof VirtaSqlParser.CreateSourceContext c) {
            return new Statement.CreateSource(
                    kind(c.kind.getType()),
                    identifier(c.name),
                    columns(c.tableElements()),
                    properties(c.withClause()),
                    keys(c.partitionKeys()),
                    c.REPLACE() != null,
                    c.EXISTS() != null,
                    pos(c));
        }
        if (ctx instanceof VirtaSqlParser.CreateEventStoreContext c) {
            return new Statement.CreateEventStore(
                    identifier(c.name),
                    columns(c.tableElements()),
                    keys(c.partitionKeys()),
                    properties(c.withClause()),
                    c.EXISTS() != null,
                    pos(c));
        }
        if (ctx instanceof VirtaSqlParser.InsertValuesContext c) {
            List<String> cols = new ArrayList<>();
            if (c.columnList() != null) {
                c.columnList().identifier().forEach(i -> cols.add(identifier(i)));
            }
            return new Statement.InsertValues(
                    identifier(c.target), cols, exprs.exprs(c.expression()), pos(c));
        }
        if (ctx instanceof VirtaSqlParser.InsertSelectContext c) {
            return new Statement.InsertSelect(identifier(c.target), query(c.query()), pos(c));
        }
        if (ctx instanceof VirtaSqlParser.DropContext c) {
            return new Statement.Drop(
                    kind(c.kind.getType()),
                    identifier(c.name),
                    c.EXISTS() != null,
                    c.TOPIC() != null,
                    pos(c));
        }
        if (ctx instanceof VirtaSqlParser.ShowContext c) {
            return new Statement.Show(
                    c.what.getText().toUpperCase(Locale.ROOT), c.EXTENDED() != null, pos(c));
        }
        if (ctx instanceof VirtaSqlParser.CreateConnectorContext c) {
            return new Statement.CreateConnector(
                    c.kind.getText().toUpperCase(Locale.ROOT),
                    identifier(c.name),
                    options(c.withClause()),
                    c.EXISTS() != null,
                    pos(c));
        }
        if (ctx instanceof VirtaSqlParser.DropConnectorContext c) {
            return new Statement.DropConnector(identifier(c.name), c.EXISTS() != null, pos(c));
        }
        if (ctx instanceof VirtaSqlParser.SelectQueryContext c) {
            return new Statement.Select(query(c.query()), pos(c));
        }
        VirtaSqlParser.DescribeContext c = (VirtaSqlParser.DescribeContext) ctx;
        return new Statement.Describe(identifier(c.name), c.EXTENDED() != null, pos(c));
    }

    /**
     * @param ctx a parsed standalone expression
     * @return its AST
     */
    public Expression expression(VirtaSqlParser.ExpressionContext ctx) {
        return exprs.expr(ctx);
    }

    private static SourceKind kind(int tokenType) {
        return switch (tokenType) {
            case VirtaSqlParser.STREAM -> SourceKind.STREAM;
            case VirtaSqlParser.TABLE -> SourceKind.TABLE;
            default -> SourceKind.EVENT_STORE;
        };
    }

    private List<Statement.ColumnSpec> columns(VirtaSqlParser.TableElementsContext ctx) {
        List<Statement.ColumnSpec> out = new ArrayList<>();
        for (VirtaSqlParser.TableElementContext e : ctx.tableElement()) {
            out.add(
                    new Statement.ColumnSpec(
                            identifier(e.identifier()),
                            exprs.type(e.type()),
                            e.KEY() != null,
                            pos(e)));
        }
        return out;
    }

    private static List<String> keys(VirtaSqlParser.PartitionKeysContext ctx) {
        List<String> out = new ArrayList<>();
        if (ctx != null) {
            ctx.identifier().forEach(i -> out.add(identifier(i)));
        }
        return out;
    }

    /**
     * A connector's options, names as written (client libraries' option names are case-sensitive).
     */
    private static Map<String, String> options(VirtaSqlParser.WithClauseContext ctx) {
        Map<String, String> out = new LinkedHashMap<>();
        for (VirtaSqlParser.PropertyContext p : ctx.property()) {
            String text = p.literal().getText();
            out.put(
                    propertyName(p),
                    p.literal() instanceof VirtaSqlParser.StringLiteralContext
                            ? ExpressionBuilder.unquote(text)
                            : text);
        }
        return out;
    }

    private static String propertyName(VirtaSqlParser.PropertyContext p) {
        return p.key != null
                ? ExpressionBuilder.unquote(p.key.getText())
                : identifier(p.identifier());
    }

    private static Map<String, Statement.Property> properties(
            VirtaSqlParser.WithClauseContext ctx) {
        Map<String, Statement.Property> out = new LinkedHashMap<>();
        if (ctx == null) {
            return out;
        }
        for (VirtaSqlParser.PropertyContext p : ctx.property()) {
            String name = propertyName(p).toUpperCase(Locale.ROOT);
            String text = p.literal().getText();
            String value =
                    p.literal() instanceof VirtaSqlParser.StringLiteralContext
                            ? ExpressionBuilder.unquote(text)
                            : text;
            out.put(name, new Statement.Property(name, value, pos(p)));
        }
        return out;
    }

    private Query query(VirtaSqlParser.QueryContext ctx) {
        List<Query.SelectItem> items = new ArrayList<>();
        WindowExpr window = null;
        for (VirtaSqlParser.SelectItemContext item : ctx.selectItem()) {
            if (item instanceof VirtaSqlParser.SelectAllContext a) {
                items.add(new Query.AllColumns(null, pos(a)));
            } else if (item instanceof VirtaSqlParser.SelectAllFromContext a) {
                items.add(new Query.AllColumns(identifier(a.qualifier), pos(a)));
            } else if (item instanceof VirtaSqlParser.SelectWindowContext w) {
                WindowExpr we = windowFunction(w.windowFunction());
                window = only(window, we, w);
                items.add(new Query.WindowColumn(we, alias(w.alias), pos(w)));
            } else {
                VirtaSqlParser.SelectExpressionContext e =
                        (VirtaSqlParser.SelectExpressionContext) item;
                items.add(
                        new Query.SingleColumn(exprs.expr(e.expression()), alias(e.alias), pos(e)));
            }
        }
        for (VirtaSqlParser.WindowClauseContext w : ctx.windowClause()) {
            window = only(window, windowClause(w), w);
        }
        VirtaSqlParser.RelationContext rel = ctx.relation();
        return new Query(
                items,
                relation(rel.left),
                window,
                ctx.where == null ? null : exprs.expr(ctx.where),
                expressionList(ctx.groupBy),
                expressionList(ctx.partitionBy),
                ctx.having == null ? null : exprs.expr(ctx.having),
                ctx.emitClause() == null
                        ? null
                        : ctx.emitClause().emitMode.getType() == VirtaSqlParser.FINAL
                                ? Query.EmitMode.FINAL
                                : Query.EmitMode.CHANGES,
                ctx.limit == null
                        ? null
                        : new Query.Limit(
                                ctx.limit.getText().length() > 18
                                        ? Long.MAX_VALUE
                                        : Long.parseLong(ctx.limit.getText()),
                                pos(ctx.limitKeyword)),
                pos(ctx),
                join(rel),
                ctx.matchRecognize() == null
                        ? null
                        : new MatchRecognizeBuilder(exprs).build(ctx.matchRecognize()));
    }

    private static Query.Relation relation(VirtaSqlParser.AliasedRelationContext r) {
        return new Query.Relation(identifier(r.identifier(0)), alias(r.alias), pos(r));
    }

    private Query.Join join(VirtaSqlParser.RelationContext rel) {
        if (rel.right == null) {
            return null;
        }
        VirtaSqlParser.JoinTypeContext t = rel.joinType();
        Query.JoinType type =
                t == null || t.INNER() != null
                        ? Query.JoinType.INNER
                        : t.LEFT() != null ? Query.JoinType.LEFT : Query.JoinType.FULL;
        Duration before = null;
        Duration after = null;
        VirtaSqlParser.JoinWithinContext w = rel.joinWithin();
        if (w != null) {
            before = duration(w.size != null ? w.size : w.before);
            after = duration(w.size != null ? w.size : w.after);
        }
        return new Query.Join(
                type,
                relation(rel.right),
                exprs.expr(rel.on),
                before,
                after,
                pos(rel.JOIN().getSymbol()));
    }

    private static WindowExpr only(WindowExpr existing, WindowExpr next, ParserRuleContext at) {
        if (existing != null) {
            throw new SqlSyntaxException(
                    pos(at), at.getStart().getText(), List.of(), "a query has at most one window");
        }
        return next;
    }

    private static String alias(VirtaSqlParser.IdentifierContext ctx) {
        return ctx == null ? null : identifier(ctx);
    }

    private List<Expression> expressionList(VirtaSqlParser.ExpressionListContext ctx) {
        return ctx == null ? List.of() : exprs.exprs(ctx.expression());
    }

    private static WindowExpr windowFunction(VirtaSqlParser.WindowFunctionContext ctx) {
        if (ctx instanceof VirtaSqlParser.TumblingFunctionContext t) {
            return window(WindowKind.TUMBLING, t.size, null, t.windowOption(), t);
        }
        if (ctx instanceof VirtaSqlParser.HoppingFunctionContext h) {
            return window(WindowKind.HOPPING, h.size, h.advance, h.windowOption(), h);
        }
        VirtaSqlParser.SessionFunctionContext s = (VirtaSqlParser.SessionFunctionContext) ctx;
        return window(WindowKind.SESSION, s.gap, null, s.windowOption(), s);
    }

    private static WindowExpr windowClause(VirtaSqlParser.WindowClauseContext ctx) {
        if (ctx instanceof VirtaSqlParser.TumblingWindowContext t) {
            return window(WindowKind.TUMBLING, t.size, null, t.windowOption(), t);
        }
        if (ctx instanceof VirtaSqlParser.HoppingWindowContext h) {
            return window(WindowKind.HOPPING, h.size, h.advance, h.windowOption(), h);
        }
        VirtaSqlParser.SessionWindowContext s = (VirtaSqlParser.SessionWindowContext) ctx;
        return window(WindowKind.SESSION, s.gap, null, s.windowOption(), s);
    }

    private static WindowExpr window(
            WindowKind kind,
            VirtaSqlParser.DurationContext size,
            VirtaSqlParser.DurationContext advance,
            List<VirtaSqlParser.WindowOptionContext> options,
            ParserRuleContext at) {
        Duration grace = null;
        Duration retention = null;
        for (VirtaSqlParser.WindowOptionContext o : options) {
            if (o instanceof VirtaSqlParser.RetentionOptionContext r) {
                retention = duration(r.duration());
            } else if (o instanceof VirtaSqlParser.GraceOptionContext g) {
                grace = duration(g.duration());
            } else {
                grace = duration(((VirtaSqlParser.LatenessOptionContext) o).duration());
            }
        }
        return new WindowExpr(
                kind,
                duration(size),
                advance == null ? null : duration(advance),
                grace,
                retention,
                pos(at));
    }

    static Duration duration(VirtaSqlParser.DurationContext ctx) {
        long n = Long.parseLong(ctx.INTEGER_VALUE().getText());
        return switch (ctx.timeUnit().getStart().getType()) {
            case VirtaSqlParser.MILLISECOND, VirtaSqlParser.MILLISECONDS -> Duration.ofMillis(n);
            case VirtaSqlParser.SECOND, VirtaSqlParser.SECONDS -> Duration.ofSeconds(n);
            case VirtaSqlParser.MINUTE, VirtaSqlParser.MINUTES -> Duration.ofMinutes(n);
            case VirtaSqlParser.HOUR, VirtaSqlParser.HOURS -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
