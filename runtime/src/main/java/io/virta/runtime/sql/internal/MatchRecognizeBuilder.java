package io.virta.runtime.sql.internal;

import static io.virta.runtime.sql.internal.ExpressionBuilder.identifier;
import static io.virta.runtime.sql.internal.ExpressionBuilder.pos;

import io.virta.runtime.sql.SqlSyntaxException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.MatchRecognize;
import io.virta.runtime.sql.ast.MatchRecognize.Skip;
import io.virta.runtime.sql.ast.MatchRecognize.SkipKind;
import io.virta.runtime.sql.ast.MatchRecognize.Term;
import io.virta.runtime.sql.internal.antlr.VirtaSqlParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** INTERNAL API: builds {@link MatchRecognize} from the parse tree. */
final class MatchRecognizeBuilder {

    /** Quantifier bounds are unrolled into automaton nodes, so they are kept reasonable. */
    static final int MAX_BOUND = 1_000;

    private final ExpressionBuilder exprs;

    MatchRecognizeBuilder(ExpressionBuilder exprs) {
        this.exprs = exprs;
    }

    MatchRecognize build(VirtaSqlParser.MatchRecognizeContext ctx) {
        List<Expression> partition =
                ctx.partition == null ? List.of() : exprs.exprs(ctx.partition.expression());
        List<MatchRecognize.Measure> measures = new ArrayList<>();
        for (VirtaSqlParser.MeasureContext m : ctx.measure()) {
            measures.add(
                    new MatchRecognize.Measure(
                            exprs.expr(m.expression()), identifier(m.alias), pos(m)));
        }
        List<MatchRecognize.Define> defines = new ArrayList<>();
        for (VirtaSqlParser.DefineContext d : ctx.define()) {
            defines.add(
                    new MatchRecognize.Define(
                            identifier(d.variable), exprs.expr(d.expression()), pos(d)));
        }
        return new MatchRecognize(
                partition,
                ctx.orderBy == null ? null : exprs.expr(ctx.orderBy),
                measures,
                ctx.skipTo() == null ? null : skip(ctx.skipTo()),
                alternation(ctx.patternAlternation()),
                ctx.within == null ? null : interval(ctx.within),
                defines,
                pos(ctx));
    }

    private static Skip skip(VirtaSqlParser.SkipToContext ctx) {
        if (ctx instanceof VirtaSqlParser.SkipPastLastRowContext) {
            return new Skip(SkipKind.PAST_LAST_ROW, null, pos(ctx));
        }
        if (ctx instanceof VirtaSqlParser.SkipToNextRowContext) {
            return new Skip(SkipKind.TO_NEXT_ROW, null, pos(ctx));
        }
        if (ctx instanceof VirtaSqlParser.SkipToFirstContext f) {
            return new Skip(SkipKind.TO_FIRST, variable(f.variable), pos(f.variable));
        }
        VirtaSqlParser.SkipToLastContext l = (VirtaSqlParser.SkipToLastContext) ctx;
        return new Skip(SkipKind.TO_LAST, variable(l.variable), pos(l.variable));
    }

    private static String variable(VirtaSqlParser.SkipVariableContext v) {
        String t = v.getText();
        return v.IDENTIFIER() != null ? t : t.substring(1, t.length() - 1);
    }

    private static Term alternation(VirtaSqlParser.PatternAlternationContext ctx) {
        List<Term> options = new ArrayList<>();
        ctx.patternConcat().forEach(c -> options.add(concat(c)));
        return options.size() == 1
                ? options.get(0)
                : new MatchRecognize.Alternation(options, pos(ctx));
    }

    private static Term concat(VirtaSqlParser.PatternConcatContext ctx) {
        List<Term> items = new ArrayList<>();
        ctx.patternQuantified().forEach(q -> items.add(quantified(q)));
        return items.size() == 1 ? items.get(0) : new MatchRecognize.Concat(items, pos(ctx));
    }

    private static Term quantified(VirtaSqlParser.PatternQuantifiedContext ctx) {
        Term t =
                ctx.patternPrimary() instanceof VirtaSqlParser.PatternVariableContext v
                        ? new MatchRecognize.Variable(identifier(v.variable), pos(v))
                        : alternation(
                                ((VirtaSqlParser.PatternGroupContext) ctx.patternPrimary())
                                        .patternAlternation());
        VirtaSqlParser.PatternQuantifierContext q = ctx.patternQuantifier();
        if (q == null) {
            return t;
        }
        if (q instanceof VirtaSqlParser.ZeroOrMoreContext z) {
            return new MatchRecognize.Quantified(t, 0, -1, z.reluctant == null, pos(ctx));
        }
        if (q instanceof VirtaSqlParser.OneOrMoreContext o) {
            return new MatchRecognize.Quantified(t, 1, -1, o.reluctant == null, pos(ctx));
        }
        if (q instanceof VirtaSqlParser.ZeroOrOneContext z) {
            return new MatchRecognize.Quantified(t, 0, 1, z.reluctant == null, pos(ctx));
        }
        VirtaSqlParser.RangeContext r = (VirtaSqlParser.RangeContext) q;
        int min = r.min == null ? 0 : bound(r, r.min.getText());
        int max = r.comma == null ? min : r.max == null ? -1 : bound(r, r.max.getText());
        if ((r.min == null && r.max == null) || (max != -1 && (max < min || max < 1))) {
            throw new SqlSyntaxException(
                    pos(r), r.getText(), List.of(), "bad quantifier " + r.getText());
        }
        return new MatchRecognize.Quantified(t, min, max, r.reluctant == null, pos(ctx));
    }

    private static int bound(VirtaSqlParser.RangeContext r, String text) {
        if (text.length() > 4 || Integer.parseInt(text) > MAX_BOUND) {
            throw new SqlSyntaxException(
                    pos(r),
                    r.getText(),
                    List.of(),
                    "bad quantifier "
                            + r.getText()
                            + ": bounds above "
                            + MAX_BOUND
                            + " are not supported");
        }
        return Integer.parseInt(text);
    }

    private static Duration interval(VirtaSqlParser.IntervalContext ctx) {
        if (ctx.duration() != null) {
            return StatementBuilder.duration(ctx.duration());
        }
        String text = ExpressionBuilder.unquote(ctx.STRING_LITERAL().getText()).trim();
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SqlSyntaxException(
                    pos(ctx),
                    text,
                    List.of(),
                    "INTERVAL needs a whole number, found '" + text + "'");
        }
        String unit = ctx.timeUnit().getText().toUpperCase(Locale.ROOT);
        return switch (unit.charAt(0)) {
            case 'S' -> Duration.ofSeconds(n);
            case 'H' -> Duration.ofHours(n);
            case 'D' -> Duration.ofDays(n);
            default -> unit.startsWith("MIL") ? Duration.ofMillis(n) : Duration.ofMinutes(n);
        };
    }
}
