package io.virta.runtime.sql.ast;

import io.virta.runtime.sql.Position;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code MATCH_RECOGNIZE (...)} after FROM, as written (SQL:2016 row pattern recognition, ONE ROW
 * PER MATCH).
 *
 * @param partitionBy the partitioning expressions, possibly empty
 * @param orderBy the ORDER BY expression (must be event time), or null
 * @param measures the MEASURES, in order
 * @param skip AFTER MATCH SKIP, or null for the default (PAST LAST ROW)
 * @param pattern the PATTERN
 * @param within the WITHIN interval, or null
 * @param defines the DEFINE conditions, in order
 * @param pos where MATCH_RECOGNIZE is written
 */
public record MatchRecognize(
        List<Expression> partitionBy,
        Expression orderBy,
        List<Measure> measures,
        Skip skip,
        Term pattern,
        Duration within,
        List<Define> defines,
        Position pos) {

    /** Copies the lists. */
    public MatchRecognize {
        partitionBy = List.copyOf(partitionBy);
        measures = List.copyOf(measures);
        defines = List.copyOf(defines);
        Objects.requireNonNull(pattern, "pattern");
    }

    /** {@code expression AS alias} in MEASURES. */
    public record Measure(Expression expression, String alias, Position pos) {}

    /** {@code variable AS condition} in DEFINE. */
    public record Define(String variable, Expression condition, Position pos) {}

    /** What AFTER MATCH SKIP says. */
    public enum SkipKind {
        PAST_LAST_ROW,
        TO_NEXT_ROW,
        TO_FIRST,
        TO_LAST
    }

    /**
     * {@code AFTER MATCH SKIP ...}.
     *
     * @param kind where to
     * @param variable the variable of TO FIRST / TO LAST, else null
     */
    public record Skip(SkipKind kind, String variable, Position pos) {}

    /** A row pattern term. */
    public sealed interface Term {
        /**
         * @return where the term starts
         */
        Position pos();
    }

    /** A pattern variable. */
    public record Variable(String name, Position pos) implements Term {}

    /** Terms one after the other. */
    public record Concat(List<Term> items, Position pos) implements Term {
        /** Copies the list. */
        public Concat {
            items = List.copyOf(items);
        }
    }

    /** {@code a | b}: alternatives in preference order. */
    public record Alternation(List<Term> options, Position pos) implements Term {
        /** Copies the list. */
        public Alternation {
            options = List.copyOf(options);
        }
    }

    /**
     * A quantified term: {@code * + ? {n} {n,} {n,m}}, reluctant when followed by {@code ?}.
     *
     * @param term what repeats
     * @param min the least repetitions
     * @param max the most, or -1 for no limit
     * @param greedy false for the reluctant forms
     */
    public record Quantified(Term term, int min, int max, boolean greedy, Position pos)
            implements Term {}
}
