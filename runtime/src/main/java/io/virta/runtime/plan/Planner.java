package io.virta.runtime.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.internal.EvalContext;
import io.virta.runtime.plan.internal.ExpressionCompiler;
import io.virta.runtime.plan.internal.JoinCompiler;
import io.virta.runtime.plan.internal.QueryCompiler;
import io.virta.runtime.plan.internal.Scope;
import io.virta.runtime.plan.internal.TypedExpr;
import io.virta.runtime.plan.internal.Types;
import io.virta.runtime.sql.Position;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Expression;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.sql.ast.Statement.SourceKind;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Type-checks statements against a {@link Catalog}: declarations become {@link SourceDescription}s,
 * queries become {@link QueryPlan}s, {@code INSERT ... VALUES} becomes a {@link Row}. Every error
 * is a {@link SqlPlanningException} at the offending text.
 *
 * <p>WITH properties understood: {@code KEY} (key column), {@code TIMESTAMP} (event-time column),
 * {@code OUT_OF_ORDERNESS} and {@code IDLE_TIMEOUT} (durations such as {@code '5 SECONDS'} or
 * milliseconds), {@code PARTITIONS}. Others (e.g. {@code KAFKA_TOPIC}) are kept as they are.
 *
 * <pre>{@code
 * Catalog c = Catalog.empty().with(Planner.describe((Statement.CreateSource) SqlParser.parse(
 *     "CREATE STREAM purchases (id STRING KEY, amount DOUBLE)")));
 * QueryPlan p = Planner.plan((Statement.CreateAsSelect) SqlParser.parse(
 *     "CREATE STREAM big AS SELECT * FROM purchases WHERE amount > 1000"), c);
 * }</pre>
 */
public final class Planner {

    private static final Pattern DURATION =
            Pattern.compile(
                    "\\s*(\\d+)\\s*(MILLISECONDS?|MS|SECONDS?|S|MINUTES?|M|HOURS?|H|DAYS?|D)?\\s*",
                    Pattern.CASE_INSENSITIVE);

    private Planner() {}

    /**
     * @param s a CREATE STREAM / CREATE TABLE with columns
     * @return its description
     * @throws SqlPlanningException on duplicate columns, an unknown key or timestamp column, or a
     *     bad property
     */
    public static SourceDescription describe(Statement.CreateSource s) {
        return source(s.name(), s.kind(), s.columns(), s.partitionBy(), s.properties(), s.pos());
    }

    /**
     * @param s a CREATE EVENT_STORE
     * @return its description; its event time is the TIMESTAMP property's column, else its first
     *     TIMESTAMP column
     * @throws SqlPlanningException as for {@link #describe(Statement.CreateSource)}
     */
    public static SourceDescription describe(Statement.CreateEventStore s) {
        Map<String, Statement.Property> props = new HashMap<>(s.properties());
        if (!props.containsKey("TIMESTAMP")) {
            s.columns().stream()
                    .filter(c -> c.type() instanceof SqlType.TimestampType)
                    .findFirst()
                    .ifPresent(
                            c ->
                                    props.put(
                                            "TIMESTAMP",
                                            new Statement.Property(
                                                    "TIMESTAMP", c.name(), c.pos())));
        }
        return source(
                s.name(), SourceKind.EVENT_STORE, s.columns(), s.partitionBy(), props, s.pos());
    }

    private static SourceDescription source(
            String name,
            SourceKind kind,
            List<Statement.ColumnSpec> specs,
            List<String> partitionBy,
            Map<String, Statement.Property> props,
            Position pos) {
        Set<String> seen = new HashSet<>();
        List<String> keys = new ArrayList<>();
        for (Statement.ColumnSpec c : specs) {
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new SqlPlanningException(c.pos(), "duplicate column '" + c.name() + "'");
            }
            if (c.key()) {
                keys.add(c.name());
            }
        }
        List<String> named = new ArrayList<>(partitionBy);
        if (props.containsKey("KEY")) {
            named.add(props.get("KEY").value());
        }
        List<Column> cols = new ArrayList<>();
        for (Statement.ColumnSpec c : specs) {
            cols.add(new Column(c.name(), c.type(), c.key()));
        }
        for (String k : named) {
            String resolved = resolve(cols, k, props.get("KEY"), pos, "key");
            if (!keys.contains(resolved)) {
                keys.add(resolved);
            }
        }
        List<Column> marked = new ArrayList<>();
        for (Column c : cols) {
            marked.add(new Column(c.name(), c.type(), keys.contains(c.name())));
        }
        String ts = null;
        if (props.containsKey("TIMESTAMP")) {
            Statement.Property p = props.get("TIMESTAMP");
            ts = resolve(cols, p.value(), p, pos, "timestamp");
            SqlType t =
                    marked.stream()
                            .filter(
                                    c ->
                                            c.name().equals(p.value())
                                                    || c.name().equalsIgnoreCase(p.value()))
                            .findFirst()
                            .orElseThrow()
                            .type();
            if (!(t instanceof SqlType.TimestampType
                    || t.isIntegral()
                    || t instanceof SqlType.StringType)) {
                throw new SqlPlanningException(
                        p.pos(), "timestamp column must be TIMESTAMP or BIGINT");
            }
        }
        Map<String, String> raw = new HashMap<>();
        props.forEach((k, v) -> raw.put(k, v.value()));
        int partitions = 1;
        if (props.containsKey("PARTITIONS")) {
            try {
                partitions = Integer.parseInt(props.get("PARTITIONS").value());
            } catch (NumberFormatException e) {
                partitions = 0;
            }
            if (partitions < 1) {
                throw new SqlPlanningException(
                        props.get("PARTITIONS").pos(), "PARTITIONS must be a positive integer");
            }
        }
        return new SourceDescription(
                name,
                kind,
                marked,
                keys,
                ts,
                duration(props.get("OUT_OF_ORDERNESS")),
                duration(props.get("IDLE_TIMEOUT")),
                partitions,
                raw);
    }

    private static String resolve(
            List<Column> cols, String name, Statement.Property p, Position pos, String what) {
        for (Column c : cols) {
            if (c.name().equals(name)) {
                return c.name();
            }
        }
        for (Column c : cols) {
            if (c.name().equalsIgnoreCase(name)) {
                return c.name();
            }
        }
        throw new SqlPlanningException(
                p == null ? pos : p.pos(), "unknown " + what + " column '" + name + "'");
    }

    /**
     * Reads a duration property: {@code '5 SECONDS'}, {@code '250 ms'} or plain milliseconds.
     *
     * @param p the property, or null
     * @return the duration, zero when absent
     * @throws SqlPlanningException when unreadable
     */
    static Duration duration(Statement.Property p) {
        if (p == null) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(p.value());
        if (!m.matches()) {
            throw new SqlPlanningException(
                    p.pos(), p.name() + " must be a duration such as '5 SECONDS': " + p.value());
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "MS" : m.group(2).toUpperCase(Locale.ROOT);
        return switch (unit.charAt(0)) {
            case 'S' -> Duration.ofSeconds(n);
            case 'H' -> Duration.ofHours(n);
            case 'D' -> Duration.ofDays(n);
            default ->
                    unit.startsWith("MI") && !unit.startsWith("MIL") || unit.equals("M")
                            ? Duration.ofMinutes(n)
                            : Duration.ofMillis(n);
        };
    }

    /**
     * @param s a CREATE STREAM|TABLE AS SELECT
     * @param catalog where the FROM source is declared
     * @return the plan; its sink description is what the new stream or table looks like
     * @throws SqlPlanningException on an unknown source, column or function, or a type error
     */
    public static QueryPlan plan(Statement.CreateAsSelect s, Catalog catalog) {
        SourceDescription source = from(s.query().from(), catalog);
        Map<String, String> props = new HashMap<>();
        s.properties().forEach((k, v) -> props.put(k, v.value()));
        if (s.query().join() != null) {
            SourceDescription right = from(s.query().join().right(), catalog);
            return JoinCompiler.compile(s.name(), s.kind(), s.query(), source, right, props);
        }
        return QueryCompiler.compile(s.name(), s.kind(), s.query(), source, props);
    }

    /**
     * @param s an INSERT INTO ... SELECT
     * @param catalog where source and target are declared
     * @return the plan, writing into the existing target
     * @throws SqlPlanningException on an unknown target or source, or a type error
     */
    public static QueryPlan plan(Statement.InsertSelect s, Catalog catalog) {
        SourceDescription target =
                catalog.find(s.target())
                        .orElseThrow(
                                () ->
                                        new SqlPlanningException(
                                                s.pos(), "unknown stream '" + s.target() + "'"));
        SourceDescription source = from(s.query().from(), catalog);
        if (s.query().join() != null) {
            SourceDescription right = from(s.query().join().right(), catalog);
            return JoinCompiler.compile(
                    target.name(), target.kind(), s.query(), source, right, target.properties());
        }
        return QueryCompiler.compile(
                target.name(), target.kind(), s.query(), source, target.properties());
    }

    /**
     * Plans a query that answers once: its filter and projection over the rows of its source, as
     * stateless steps. Aggregates and windows belong in a persistent query.
     *
     * @param s a SELECT on its own
     * @param catalog where its source is declared
     * @return the plan; its sink is the answer's description
     * @throws SqlPlanningException on an unknown source, a type error, or an aggregate or window
     */
    public static QueryPlan plan(Statement.Select s, Catalog catalog) {
        SourceDescription source = from(s.query().from(), catalog);
        QueryPlan plan =
                QueryCompiler.compile(
                        "query", SourceKind.STREAM, s.query(), source, java.util.Map.of());
        if (plan.aggregate().isPresent() || plan.rekeys()) {
            throw new SqlPlanningException(
                    s.pos(),
                    "a query that answers once selects and filters rows; aggregate or group in a"
                            + " CREATE TABLE ... AS SELECT and query that table");
        }
        return plan;
    }

    private static SourceDescription from(
            io.virta.runtime.sql.ast.Query.Relation r, Catalog catalog) {

        return catalog.find(r.name())
                .orElseThrow(
                        () ->
                                new SqlPlanningException(
                                        r.pos(), "unknown stream or table '" + r.name() + "'"));
    }

    /**
     * Evaluates {@code INSERT ... VALUES} into a row of the target.
     *
     * @param s the statement
     * @param catalog where the target is declared
     * @param processingTime what {@code NOW()} returns, and the event time when the target has no
     *     timestamp column
     * @return the row: payload with every column, key from the key columns, event time from the
     *     timestamp column
     * @throws SqlPlanningException on an unknown target or column, a wrong value count or type
     */
    public static Row insertValues(Statement.InsertValues s, Catalog catalog, long processingTime) {
        SourceDescription target =
                catalog.find(s.target())
                        .orElseThrow(
                                () ->
                                        new SqlPlanningException(
                                                s.pos(), "unknown stream '" + s.target() + "'"));
        List<Column> cols = new ArrayList<>();
        if (s.columns().isEmpty()) {
            cols.addAll(target.columns());
        } else {
            for (String n : s.columns()) {
                cols.add(
                        target.column(n)
                                .orElseThrow(
                                        () ->
                                                new SqlPlanningException(
                                                        s.pos(),
                                                        "unknown column '"
                                                                + n
                                                                + "' in "
                                                                + target.name())));
            }
        }
        if (cols.size() != s.values().size()) {
            throw new SqlPlanningException(
                    s.pos(), "expected " + cols.size() + " values, got " + s.values().size());
        }
        ExpressionCompiler constants = new ExpressionCompiler(new NoColumns());
        EvalContext ctx = EvalContext.ofConstants(processingTime);
        ObjectNode value = SqlValues.NODES.objectNode();
        for (int i = 0; i < cols.size(); i++) {
            Expression e = s.values().get(i);
            TypedExpr t = constants.compile(e);
            Column c = cols.get(i);
            if (!Types.assignable(c.type(), t.type())) {
                throw new SqlPlanningException(
                        e.pos(),
                        "column '"
                                + c.name()
                                + "' is "
                                + c.type().sql()
                                + ", value is "
                                + t.type().sql());
            }
            value.set(c.name(), SqlValues.coerce(t.eval(ctx), c.type()));
        }
        String key = null;
        if (!target.keyColumns().isEmpty()) {
            List<JsonNode> kv = new ArrayList<>();
            target.keyColumns().forEach(k -> kv.add(value.path(k)));
            key =
                    kv.size() == 1
                            ? kv.get(0).asText()
                            : SqlValues.NODES.arrayNode().addAll(kv).toString();
        }
        long eventTime = processingTime;
        if (target.timestampColumn() != null
                && !SqlValues.isNull(value.get(target.timestampColumn()))) {
            eventTime =
                    SqlValues.coerce(value.get(target.timestampColumn()), SqlType.TIMESTAMP)
                            .longValue();
        }
        return Row.of(key, eventTime, value);
    }

    private static final class NoColumns implements Scope {
        @Override
        public TypedExpr intercept(Expression e) {
            return null;
        }

        @Override
        public TypedExpr column(Expression.ColumnRef ref) {
            throw new SqlPlanningException(
                    ref.pos(), "VALUES cannot reference column '" + ref.name() + "'");
        }
    }
}
