package io.virta.runtime.cep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.cep.internal.CepOperator;
import io.virta.runtime.cep.internal.Nfa;
import io.virta.runtime.cep.internal.Regex;
import io.virta.runtime.cep.internal.Regex.Contiguity;
import io.virta.runtime.operator.KeyedOperator;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.state.CepState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A pattern over the rows of one key, built fluently like Flink CEP's {@code Pattern}: a sequence
 * of named elements, each with a condition and a quantifier. Immutable: every method returns a new
 * pattern, and methods such as {@link #where} and {@link #oneOrMore} apply to the last element.
 *
 * <pre>{@code
 * Pattern p = Pattern.begin("fail").where(r -> r.value().path("type").asText().equals("login_failure"))
 *         .next("more").where(r -> r.value().path("type").asText().equals("login_failure")).oneOrMore()
 *         .followedBy("ok").where((row, m) -> !row.value().path("ip").equals(
 *                 m.first("fail").orElseThrow().value().path("ip")))
 *         .within(Duration.ofMinutes(10));
 * KeyedOperator<CepState> op = p.operator(match -> json(match));
 * }</pre>
 *
 * <p>Semantics, shared with SQL {@code MATCH_RECOGNIZE}:
 *
 * <ul>
 *   <li>Contiguity: {@link #next} (strict, as in SQL) binds the very next row; {@link #followedBy}
 *       (relaxed) first skips the rows that do not satisfy the element; {@link #followedByAny} may
 *       skip any row, so every later satisfying row starts an alternative. Repetitions of a
 *       quantified element are always consecutive (Flink's {@code consecutive()}).
 *   <li>Quantifiers are greedy by default (as in SQL and regular expressions, unlike Flink where
 *       {@code greedy()} must be asked for); {@link #reluctant()} prefers fewer rows.
 *   <li>Of all the ways rows starting at one row can match, the preferred one is reported
 *       (alternatives and quantifiers in preference order, as a backtracking matcher tries them); a
 *       match is reported as soon as no preferred alternative is still possible, so a greedy
 *       quantifier at the end of a pattern waits for a row that ends it or for {@link #within}.
 *   <li>Starts are tried in row order; after a match, {@link AfterMatchSkip} decides where the next
 *       attempt may start ({@link AfterMatchSkip#pastLastRow()} by default). Flink's {@code
 *       NO_SKIP} (every match of every length) is not offered.
 *   <li>{@link #within}: a match's last row must be strictly less than {@code within} after its
 *       first (Flink's rule); partial matches are pruned when a row or the watermark reaches that.
 * </ul>
 */
public final class Pattern {

    private record Element(
            String name,
            Contiguity contiguity,
            Condition condition,
            int min,
            int max,
            boolean optional,
            boolean quantified,
            boolean greedy) {}

    private final List<Element> elements;
    private final Duration within;
    private final AfterMatchSkip skip;

    private Pattern(List<Element> elements, Duration within, AfterMatchSkip skip) {
        this.elements = List.copyOf(elements);
        this.within = within;
        this.skip = skip;
    }

    /**
     * @param name the first element's name
     * @return a pattern of one element that accepts every row (narrow it with {@link #where})
     * @throws IllegalArgumentException when the name is blank
     */
    public static Pattern begin(String name) {
        return begin(name, AfterMatchSkip.pastLastRow());
    }

    /**
     * @param name the first element's name
     * @param skip where to resume after a match
     * @return a pattern of one element
     */
    public static Pattern begin(String name, AfterMatchSkip skip) {
        return new Pattern(
                List.of(element(name, Contiguity.STRICT)), null, Objects.requireNonNull(skip));
    }

    private static Element element(String name, Contiguity c) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an element needs a name");
        }
        return new Element(name, c, (row, m) -> true, 1, 1, false, false, true);
    }

    /**
     * @param name the new element's name, unique in the pattern
     * @return this pattern followed directly by a new element (strict contiguity)
     */
    public Pattern next(String name) {
        return append(name, Contiguity.STRICT);
    }

    /**
     * @param name the new element's name, unique in the pattern
     * @return this pattern followed by a new element, skipping rows that do not satisfy it
     */
    public Pattern followedBy(String name) {
        return append(name, Contiguity.RELAXED);
    }

    /**
     * @param name the new element's name, unique in the pattern
     * @return this pattern followed by a new element, any row in between may be skipped
     */
    public Pattern followedByAny(String name) {
        return append(name, Contiguity.ANY);
    }

    private Pattern append(String name, Contiguity c) {
        if (elements.stream().anyMatch(e -> e.name().equals(name))) {
            throw new IllegalArgumentException("duplicate element name '" + name + "'");
        }
        List<Element> es = new ArrayList<>(elements);
        es.add(element(name, c));
        return new Pattern(es, within, skip);
    }

    /**
     * @param condition a test of the row alone; several {@code where} calls must all hold
     * @return this pattern with the last element narrowed
     */
    public Pattern where(Predicate<Row> condition) {
        Objects.requireNonNull(condition, "condition");
        return where((row, m) -> condition.test(row));
    }

    /**
     * @param condition a test of the row and the partial match so far
     * @return this pattern with the last element narrowed
     */
    public Pattern where(Condition condition) {
        Objects.requireNonNull(condition, "condition");
        Condition old = last().condition();
        return withLast(e -> copy(e, (row, m) -> old.test(row, m) && condition.test(row, m)));
    }

    /**
     * @param condition an alternative test: the element accepts a row when any holds
     * @return this pattern with the last element widened
     */
    public Pattern or(Condition condition) {
        Objects.requireNonNull(condition, "condition");
        Condition old = last().condition();
        return withLast(e -> copy(e, (row, m) -> old.test(row, m) || condition.test(row, m)));
    }

    /**
     * @return this pattern with the last element repeated one or more times
     */
    public Pattern oneOrMore() {
        return quantify(1, Regex.Repeat.UNBOUNDED);
    }

    /**
     * @param n how many rows, at least 1
     * @return this pattern with the last element repeated exactly {@code n} times
     */
    public Pattern times(int n) {
        return quantify(n, n);
    }

    /**
     * @param min the least number of rows, at least 0
     * @param max the most, at least max(min, 1)
     * @return this pattern with the last element repeated {@code min} to {@code max} times
     */
    public Pattern times(int min, int max) {
        return quantify(min, max);
    }

    /**
     * @param n the least number of rows
     * @return this pattern with the last element repeated {@code n} or more times
     */
    public Pattern timesOrMore(int n) {
        return quantify(n, Regex.Repeat.UNBOUNDED);
    }

    private Pattern quantify(int min, int max) {
        if (last().quantified()) {
            throw new IllegalArgumentException("'" + last().name() + "' already has a quantifier");
        }
        if (min < 0 || (max != Regex.Repeat.UNBOUNDED && (max < min || max < 1))) {
            throw new IllegalArgumentException("bad quantifier {" + min + "," + max + "}");
        }
        return withLast(
                e ->
                        new Element(
                                e.name(),
                                e.contiguity(),
                                e.condition(),
                                min,
                                max,
                                e.optional(),
                                true,
                                e.greedy()));
    }

    /**
     * @return this pattern with the last element optional (zero occurrences allowed)
     */
    public Pattern optional() {
        return withLast(
                e ->
                        new Element(
                                e.name(),
                                e.contiguity(),
                                e.condition(),
                                e.min(),
                                e.max(),
                                true,
                                e.quantified(),
                                e.greedy()));
    }

    /**
     * @return this pattern with the last element's quantifier preferring more rows (the default)
     */
    public Pattern greedy() {
        return withGreedy(true);
    }

    /**
     * @return this pattern with the last element's quantifier preferring fewer rows
     */
    public Pattern reluctant() {
        return withGreedy(false);
    }

    private Pattern withGreedy(boolean greedy) {
        return withLast(
                e ->
                        new Element(
                                e.name(),
                                e.contiguity(),
                                e.condition(),
                                e.min(),
                                e.max(),
                                e.optional(),
                                e.quantified(),
                                greedy));
    }

    /**
     * @param interval how long a match may last, from its first row; positive
     * @return this pattern with the limit
     * @throws IllegalArgumentException when not positive
     */
    public Pattern within(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("within must be positive: " + interval);
        }
        return new Pattern(elements, interval, skip);
    }

    /**
     * @param strategy where to resume after a match
     * @return this pattern with the strategy
     */
    public Pattern afterMatch(AfterMatchSkip strategy) {
        return new Pattern(elements, within, Objects.requireNonNull(strategy));
    }

    /**
     * Compiles the pattern into a pure operator; the host keeps one {@link CepState} per key.
     *
     * @param projector the output payload of a match (the output row has the match's key and the
     *     event time of its last row); null drops the match
     * @return the operator
     * @throws IllegalArgumentException when the pattern can match no rows at all, or the skip
     *     strategy names an unknown element
     */
    public KeyedOperator<CepState> operator(Function<Match, ObjectNode> projector) {
        Map<String, Condition> conditions = new HashMap<>();
        List<Regex> items = new ArrayList<>();
        for (Element e : elements) {
            conditions.put(e.name(), e.condition());
            Regex v = new Regex.Var(e.name(), e.contiguity());
            int min = e.optional() ? 0 : e.min();
            items.add(min == 1 && e.max() == 1 ? v : new Regex.Repeat(v, min, e.max(), e.greedy()));
        }
        return new CepOperator(
                Nfa.compile(new Regex.Concat(items), conditions), within, skip, projector);
    }

    /**
     * @return the elements' names in order
     */
    public List<String> names() {
        return elements.stream().map(Element::name).toList();
    }

    private Element last() {
        return elements.get(elements.size() - 1);
    }

    private static Element copy(Element e, Condition c) {
        return new Element(
                e.name(),
                e.contiguity(),
                c,
                e.min(),
                e.max(),
                e.optional(),
                e.quantified(),
                e.greedy());
    }

    private Pattern withLast(Function<Element, Element> f) {
        List<Element> es = new ArrayList<>(elements);
        es.set(es.size() - 1, f.apply(last()));
        return new Pattern(es, within, skip);
    }
}
