package io.virta.runtime.cep.internal;

import java.util.List;
import java.util.Objects;

/**
 * INTERNAL API: a pattern as a regular expression over pattern variables. Both SQL {@code PATTERN
 * (...)} and {@link io.virta.runtime.cep.Pattern} become one of these before {@link Nfa#compile}.
 */
public sealed interface Regex {

    /**
     * How rows that do not fit may sit between the previous element and this variable's first row.
     */
    enum Contiguity {
        /** No row in between (SQL, {@code next}). */
        STRICT,
        /** Rows that do not satisfy this variable are skipped ({@code followedBy}). */
        RELAXED,
        /** Any row may be skipped, even one that satisfies it ({@code followedByAny}). */
        ANY
    }

    /**
     * One row bound to a variable.
     *
     * @param name the variable
     * @param entry how this variable's first row may follow the previous element
     */
    record Var(String name, Contiguity entry) implements Regex {
        /** Checks the fields are present. */
        public Var {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** Items one after the other. */
    record Concat(List<Regex> items) implements Regex {
        /** Copies the list. */
        public Concat {
            items = List.copyOf(items);
        }
    }

    /** Alternatives, preferred in the order written. */
    record Alt(List<Regex> options) implements Regex {
        /** Copies the list. */
        public Alt {
            options = List.copyOf(options);
        }
    }

    /**
     * {@code body{min,max}}.
     *
     * @param body what repeats
     * @param min the least number of repetitions, at least 0
     * @param max the most, at least max(min, 1); {@link #UNBOUNDED} for no limit
     * @param greedy prefer more repetitions (else fewer: reluctant)
     */
    record Repeat(Regex body, int min, int max, boolean greedy) implements Regex {

        /** {@code max} of {@code *}, {@code +} and {@code {n,}}. */
        public static final int UNBOUNDED = -1;

        /**
         * @throws IllegalArgumentException when the bounds make no sense
         */
        public Repeat {
            Objects.requireNonNull(body, "body");
            if (min < 0 || (max != UNBOUNDED && (max < min || max < 1))) {
                throw new IllegalArgumentException("bad quantifier {" + min + "," + max + "}");
            }
        }
    }
}
