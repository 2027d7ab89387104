package io.virta.runtime.plan.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.cep.AfterMatchSkip;
import io.virta.runtime.cep.Condition;
import io.virta.runtime.cep.internal.CepOperator;
import io.virta.runtime.cep.internal.Nfa;
import io.virta.runtime.cep.internal.Regex;
import io.virta.runtime.plan.Column;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.plan.Step;
import io.virta.runtime.plan.internal.QueryCompiler.Output;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.MatchRecognize;
import io.virta.runtime.sql.ast.MatchRecognize.Term;
import io.virta.runtime.sql.ast.Query;
import io.virta.runtime.sql.ast.SqlFormatter;
import io.virta.runtime.sql.ast.Statement.SourceKind;
import io.virta.runtime.types.SqlValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * INTERNAL API: compiles {@code SELECT ... FROM s MATCH_RECOGNIZE (...)} into a plan ending in a
 * {@link Step.Match}. One output row per match: the outer select items (evaluated over the match:
 * plain columns read its last row, aggregates such as {@code COLLECT_LIST(x)} run over all its
 * rows), then the MEASURES. {@code SELECT *} selects the PARTITION BY columns. Variables without a
 * DEFINE accept every row.
 */
final class MatchCompiler {

    private MatchCompiler() {}

    static QueryPlan compile(
            String sinkName,
            SourceKind sinkKind,
            Query q,
            SourceDescription source,
            Map<String, String> properties) {
        MatchRecognize mr = q.matchRecognize();
        rejectOtherClauses(q);
        checkOrder(mr, source);
        Map<String, String> vars = new LinkedHashMap<>();
        Regex regex = regex(mr.pattern(), vars);
        String alias = q.from().alias();
        Map<String, Condition> conditions = new HashMap<>();
        for (MatchRecognize.Define d : mr.defines()) {
            String v = vars.get(d.variable().toUpperCase(Locale.ROOT));
            if (v == null) {
                throw new SqlPlanningException(
                        d.pos(), "DEFINE of '" + d.variable() + "', which PATTERN does not use");
            }
            if (conditions.containsKey(v)) {
                throw new SqlPlanningException(d.pos(), "'" + d.variable() + "' is defined twice");
            }
            TypedExpr c =
                    QueryCompiler.booleanClause(
                            d.condition(), new MatchScope(source, alias, vars, "DEFINE"), "DEFINE");
            conditions.put(v, (row, m) -> isTrue(c.eval(EvalContext.ofMatch(row, m))));
        }
        AfterMatchSkip skip = skip(mr.skip(), vars);
        List<Step> steps = new ArrayList<>();
        List<TypedExpr> keys = new ArrayList<>();
        ExpressionCompiler rows =
                new ExpressionCompiler(new RowScope(source, alias, "PARTITION BY"));
        mr.partitionBy().forEach(e -> keys.add(rows.compile(e)));
        List<String> keySql = QueryCompiler.sqls(mr.partitionBy());
        List<String> sourceKeySql =
                source.keyColumns().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
        if (keySql.isEmpty() || !keySql.equals(sourceKeySql)) {
            steps.add(new Step.Rekey(keySql, QueryCompiler.keyFunction(keys)));
        }
        List<String> keyColumns = new ArrayList<>();
        List<Output> outs = outputs(q, mr, source, alias, vars, keySql, keyColumns);
        Nfa nfa;
        try {
            nfa = Nfa.compile(regex, conditions);
        } catch (IllegalArgumentException e) {
            throw new SqlPlanningException(mr.pattern().pos(), e.getMessage());
        }
        CepOperator op =
                new CepOperator(
                        nfa,
                        mr.within(),
                        skip,
                        match -> {
                            EvalContext ctx = EvalContext.ofMatch(match.lastRow(), match);
                            ObjectNode v = SqlValues.NODES.objectNode();
                            for (Output o : outs) {
                                v.set(o.name(), o.expr().eval(ctx));
                            }
                            return v;
                        });
        steps.add(
                new Step.Match(
                        keySql,
                        "(" + text(mr.pattern()) + ")",
                        mr.within(),
                        outs.stream().map(Output::name).toList(),
                        op));
        return new QueryPlan(
                source,
                QueryCompiler.sink(sinkName, sinkKind, outs, keyColumns, source, properties),
                steps);
    }

    private static List<Output> outputs(
            Query q,
            MatchRecognize mr,
            SourceDescription source,
            String alias,
            Map<String, String> vars,
            List<String> keySql,
            List<String> keyColumns) {
        ExpressionCompiler select =
                new ExpressionCompiler(new MatchScope(source, alias, vars, "SELECT"));
        List<Output> outs = new ArrayList<>();
        for (Query.SelectItem item : q.select()) {
            if (item instanceof Query.AllColumns a) {
                for (Expression p : mr.partitionBy()) {
                    if (!(p instanceof Expression.ColumnRef c)) {
                        throw new SqlPlanningException(
                                a.pos(),
                                "SELECT * with MATCH_RECOGNIZE needs PARTITION BY columns");
                    }
                    String n = source.column(c.name()).map(Column::name).orElse(c.name());
                    outs.add(new Output(n, select.compile(p), false));
                    keyColumns.add(n);
                }
            } else if (item instanceof Query.SingleColumn c) {
                String n = QueryCompiler.name(c, outs.size());
                outs.add(new Output(n, select.compile(c.expression()), false));
                if (keySql.contains(SqlFormatter.format(c.expression()))) {
                    keyColumns.add(n);
                }
            } else {
                throw new SqlPlanningException(
                        item.pos(), "windows cannot be combined with MATCH_RECOGNIZE");
            }
        }
        ExpressionCompiler measures =
                new ExpressionCompiler(new MatchScope(source, alias, vars, "MEASURES"));
        for (MatchRecognize.Measure m : mr.measures()) {
            outs.add(new Output(m.alias(), measures.compile(m.expression()), false));
        }
        QueryCompiler.checkDistinct(outs, q.pos());
        return outs;
    }

    private static void rejectOtherClauses(Query q) {
        String clause =
                q.where() != null
                        ? "WHERE (put row conditions in DEFINE)"
                        : q.window() != null
                                ? "WINDOW"
                                : !q.groupBy().isEmpty()
                                        ? "GROUP BY"
                                        : q.having() != null
                                                ? "HAVING"
                                                : !q.partitionBy().isEmpty()
                                                        ? "PARTITION BY after MATCH_RECOGNIZE"
                                                        : q.join() != null
                                                                ? "JOIN"
                                                                : q.emit() == Query.EmitMode.FINAL
                                                                        ? "EMIT FINAL"
                                                                        : null;
        if (clause != null) {
            throw new SqlPlanningException(
                    q.matchRecognize().pos(), "MATCH_RECOGNIZE cannot be combined with " + clause);
        }
    }

    /** Rows are matched in event-time order: ORDER BY must say so. */
    private static void checkOrder(MatchRecognize mr, SourceDescription source) {
        Expression o = mr.orderBy();
        if (o == null) {
            return;
        }
        boolean eventTime =
                o instanceof Expression.ColumnRef c
                        && (c.name().equalsIgnoreCase("ROWTIME")
                                || (source.timestampColumn() != null
                                        && c.name().equalsIgnoreCase(source.timestampColumn())));
        if (!eventTime) {
            throw new SqlPlanningException(
                    o.pos(),
                    "MATCH_RECOGNIZE orders rows by event time: ORDER BY must name ROWTIME or the"
                            + " timestamp column of "
                            + source.name()
                            + (source.timestampColumn() == null
                                    ? " (declare one with WITH (TIMESTAMP='...'))"
                                    : " (" + source.timestampColumn() + ")"));
        }
    }

    private static AfterMatchSkip skip(MatchRecognize.Skip s, Map<String, String> vars) {
        if (s == null || s.kind() == MatchRecognize.SkipKind.PAST_LAST_ROW) {
            return AfterMatchSkip.pastLastRow();
        }
        if (s.kind() == MatchRecognize.SkipKind.TO_NEXT_ROW) {
            return AfterMatchSkip.toNextRow();
        }
        String v = vars.get(s.variable().toUpperCase(Locale.ROOT));
        if (v == null) {
            throw new SqlPlanningException(
                    s.pos(), "unknown pattern variable '" + s.variable() + "'");
        }
        return s.kind() == MatchRecognize.SkipKind.TO_FIRST
                ? AfterMatchSkip.toFirst(v)
                : AfterMatchSkip.toLast(v);
    }

    private static Regex regex(Term t, Map<String, String> vars) {
        if (t instanceof MatchRecognize.Variable v) {
            String name = vars.computeIfAbsent(v.name().toUpperCase(Locale.ROOT), k -> v.name());
            return new Regex.Var(name, Regex.Contiguity.STRICT);
        }
        if (t instanceof MatchRecognize.Concat c) {
            return new Regex.Concat(c.items().stream().map(i -> regex(i, vars)).toList());
        }
        if (t instanceof MatchRecognize.Alternation a) {
            return new Regex.Alt(a.options().stream().map(i -> regex(i, vars)).toList());
        }
        MatchRecognize.Quantified q = (MatchRecognize.Quantified) t;
        return new Regex.Repeat(
                regex(q.term(), vars),
                q.min(),
                q.max() < 0 ? Regex.Repeat.UNBOUNDED : q.max(),
                q.greedy());
    }

    /** The pattern as text, for EXPLAIN. */
    static String text(Term t) {
        if (t instanceof MatchRecognize.Variable v) {
            return v.name();
        }
        if (t instanceof MatchRecognize.Concat c) {
            return String.join(" ", c.items().stream().map(MatchCompiler::text).toList());
        }
        if (t instanceof MatchRecognize.Alternation a) {
            return String.join(" | ", a.options().stream().map(MatchCompiler::text).toList());
        }
        MatchRecognize.Quantified q = (MatchRecognize.Quantified) t;
        String inner =
                q.term() instanceof MatchRecognize.Variable
                        ? text(q.term())
                        : "(" + text(q.term()) + ")";
        String quant =
                q.min() == 0 && q.max() < 0
                        ? "*"
                        : q.min() == 1 && q.max() < 0
                                ? "+"
                                : q.min() == 0 && q.max() == 1
                                        ? "?"
                                        : q.max() < 0
                                                ? "{" + q.min() + ",}"
                                                : q.min() == q.max()
                                                        ? "{" + q.min() + "}"
                                                        : "{" + q.min() + "," + q.max() + "}";
        return inner + quant + (q.greedy() ? "" : "?");
    }

    private static boolean isTrue(JsonNode v) {
        return !SqlValues.isNull(v) && v.booleanValue();
    }
}
