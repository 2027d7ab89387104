package io.virta.runtime.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virta.runtime.operator.Row;
import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.Column;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Statement;
import io.virta.runtime.time.WatermarkTracker;
import io.virta.runtime.types.SqlType;
import io.virta.runtime.types.SqlValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs Virta SQL synchronously, like Kafka Streams' {@code TopologyTestDriver}: statements in,
 * records with explicit event times in, processing time advanced by hand, outputs and late records
 * out. Every persistent query runs as soon as a record reaches one of its sources; aggregates and
 * MATCH_RECOGNIZE keep one state value per key and act when the source stream's watermark passes
 * them; joins keep one state per join key, fed by either source (interval joins use the smaller of
 * the two watermarks).
 *
 * <p>Not thread-safe: one test, one driver.
 *
 * <pre>{@code
 * PipelineTestDriver d = new PipelineTestDriver();
 * d.execute("CREATE STREAM clicks (user STRING KEY, page STRING)");
 * d.execute("CREATE TABLE per_user AS SELECT user, COUNT(*) AS n FROM clicks"
 *     + " WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY user EMIT FINAL");
 * d.pipe("clicks", 1_000, "{\"user\":\"a\",\"page\":\"/\"}");
 * d.pipe("clicks", 61_000, "{\"user\":\"a\",\"page\":\"/\"}");
 * d.output("per_user");   // one row: a, n=1, window [0, 60000)
 * }</pre>
 */
public final class PipelineTestDriver {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Catalog catalog = Catalog.empty();
    private final Map<String, WatermarkTracker> trackers = new HashMap<>();
    private final Map<String, Long> forcedWatermarks = new HashMap<>();
    private final Map<String, List<Row>> logs = new LinkedHashMap<>();
    private final Map<String, RunningQuery> queries = new LinkedHashMap<>();
    private long now;

    /** A driver with an empty catalog and processing time 0. */
    public PipelineTestDriver() {}

    /**
     * Executes a script of statements. SHOW and DESCRIBE return their listing as lines.
     *
     * @param sql one or more statements separated by semicolons
     * @return lines of output (for SHOW / DESCRIBE), otherwise empty
     * @throws io.virta.runtime.sql.SqlSyntaxException on a syntax error
     * @throws SqlPlanningException on a semantic error
     */
    public List<String> execute(String sql) {
        List<String> out = new ArrayList<>();
        for (Statement s : SqlParser.parseAll(sql)) {
            out.addAll(execute(s));
        }
        return out;
    }

    private List<String> execute(Statement s) {
        if (s instanceof Statement.CreateSource c) {
            declare(Planner.describe(c), c.ifNotExists(), c.orReplace(), c.pos());
        } else if (s instanceof Statement.CreateEventStore c) {
            declare(Planner.describe(c), c.ifNotExists(), false, c.pos());
        } else if (s instanceof Statement.CreateAsSelect c) {
            QueryPlan plan = Planner.plan(c, catalog);
            declare(plan.sink(), c.ifNotExists(), c.orReplace(), c.pos());
            queries.put(norm(c.name()), new RunningQuery(plan));
        } else if (s instanceof Statement.InsertSelect c) {
            QueryPlan plan = Planner.plan(c, catalog);
            queries.put(norm(c.target()) + "#" + queries.size(), new RunningQuery(plan));
        } else if (s instanceof Statement.InsertValues c) {
            Row row = Planner.insertValues(c, catalog, now);
            deliver(catalog.find(c.target()).orElseThrow().name(), 0, row);
        } else if (s instanceof Statement.Drop d) {
            if (catalog.find(d.name()).isEmpty() && !d.ifExists()) {
                throw new SqlPlanningException(d.pos(), "unknown source '" + d.name() + "'");
            }
            dropSource(d);
        } else if (s instanceof Statement.Show sh) {
            return Listings.show(catalog, queries, sh.what());
        } else if (s instanceof Statement.Describe d) {
            return Listings.describe(catalog, queries, d);
        }
        return List.of();
    }

    /** Like ksqlDB: a source that a running query reads cannot be dropped before the query. */
    private void dropSource(Statement.Drop d) {
        String name = norm(d.name());
        List<String> readers = new ArrayList<>();
        queries.forEach(
                (id, q) -> {
                    if (q.sources().contains(name) && !norm(q.plan.sink().name()).equals(name)) {
                        readers.add(q.plan.sink().name());
                    }
                });
        if (!readers.isEmpty()) {
            throw new SqlPlanningException(
                    d.pos(),
                    "cannot drop '" + d.name() + "': queries writing " + readers + " read from it");
        }
        catalog = catalog.without(d.name());
        queries.values().removeIf(q -> norm(q.plan.sink().name()).equals(name));
        trackers.remove(name);
        forcedWatermarks.remove(name);
    }

    private void declare(
            SourceDescription d,
            boolean ifNotExists,
            boolean replace,
            io.virta.runtime.sql.Position pos) {
        if (catalog.find(d.name()).isPresent()) {
            if (ifNotExists) {
                return;
            }
            if (!replace) {
                throw new SqlPlanningException(pos, "'" + d.name() + "' already exists");
            }
        }
        catalog = catalog.with(d);
        trackers.put(
                norm(d.name()),
                WatermarkTracker.create(d.partitions(), d.outOfOrderness(), d.idleTimeout()));
        logs.computeIfAbsent(norm(d.name()), k -> new ArrayList<>());
    }

    /**
     * @param name a query's sink
     * @return the query's plan
     * @throws IllegalArgumentException when no query writes that sink
     */
    public QueryPlan plan(String name) {
        RunningQuery q = queries.get(norm(name));
        if (q == null) {
            throw new IllegalArgumentException("no query writes " + name);
        }
        return q.plan;
    }

    /**
     * @param name a query's sink
     * @param key a key of its keyed stateful step
     * @return that key's state value (e.g. {@link io.virta.runtime.operator.state.CepState}), or
     *     null when the key has none
     * @throws IllegalArgumentException when no query writes that sink
     */
    public Object state(String name, String key) {
        plan(name);
        return queries.get(norm(name)).state(key);
    }

    /**
     * Pipes a JSON record into partition 0 of a stream at the given event time.
     *
     * @param stream the stream
     * @param eventTime the event time, epoch milliseconds
     * @param json a JSON object
     */
    public void pipe(String stream, long eventTime, String json) {
        pipe(stream, 0, eventTime, parse(json));
    }

    /**
     * Pipes a record. The key comes from the stream's key columns (one column: its text; several: a
     * JSON array of their values, as {@code INSERT ... VALUES} and {@code PARTITION BY} build it);
     * the event time from its timestamp column when the payload has one, else from {@code
     * eventTime}.
     *
     * @param stream the stream
     * @param partition the partition, 0-based
     * @param eventTime the event time, epoch milliseconds
     * @param value the payload; the driver copies it
     * @throws IllegalArgumentException for an unknown stream, or when a declared column holds a
     *     value that cannot be read as its type (the driver fails loudly rather than read NULL)
     */
    public void pipe(String stream, int partition, long eventTime, ObjectNode value) {
        SourceDescription d =
                catalog.find(stream)
                        .orElseThrow(
                                () -> new IllegalArgumentException("unknown stream " + stream));
        ObjectNode v = value.deepCopy();
        for (Column c : d.columns()) {
            JsonNode raw = v.get(c.name());
            if (!SqlValues.isNull(raw) && SqlValues.isNull(SqlValues.coerce(raw, c.type()))) {
                throw new IllegalArgumentException(
                        stream + "." + c.name() + " is " + c.type().sql() + ", cannot read " + raw);
            }
        }
        String key = null;
        if (!d.keyColumns().isEmpty()) {
            List<JsonNode> parts = new ArrayList<>();
            for (String k : d.keyColumns()) {
                Column c = d.column(k).orElseThrow();
                parts.add(SqlValues.coerce(v.get(k), c.type()));
            }
            JsonNode one = parts.get(0);
            key =
                    parts.size() > 1
                            ? SqlValues.NODES.arrayNode().addAll(parts).toString()
                            : one.isValueNode() ? one.asText() : one.toString();
        }
        long t = eventTime;
        if (d.timestampColumn() != null && !SqlValues.isNull(v.get(d.timestampColumn()))) {
            t = SqlValues.coerce(v.get(d.timestampColumn()), SqlType.TIMESTAMP).longValue();
        }
        deliver(d.name(), partition, Row.of(key, t, v));
    }

    /**
     * Pipes a tombstone: deletes a key's row of a table (a stream-table join then finds none).
     *
     * @param table the table
     * @param key the key text
     * @param eventTime the event time, epoch milliseconds
     * @throws IllegalArgumentException for an unknown source
     */
    public void pipeTombstone(String table, String key, long eventTime) {
        SourceDescription d =
                catalog.find(table)
                        .orElseThrow(() -> new IllegalArgumentException("unknown table " + table));
        deliver(d.name(), 0, new Row(key, eventTime, SqlValues.NODES.objectNode(), null, true));
    }

    /**
     * Advances processing time: idle timeouts may then advance watermarks and close windows.
     *
     * @param by how far, not negative
     */
    public void advanceProcessingTime(Duration by) {
        now += by.toMillis();
        for (String s : new ArrayList<>(trackers.keySet())) {
            trackers.put(s, trackers.get(s).onProcessingTime(now));
            fireTimers(s);
        }
    }

    /**
     * Moves a stream's watermark forward by hand (it never goes back), closing windows.
     *
     * @param stream the stream
     * @param watermark the new watermark, epoch milliseconds
     */
    public void advanceWatermark(String stream, long watermark) {
        String s =
                norm(
                        catalog.find(stream)
                                .orElseThrow(() -> new IllegalArgumentException(stream))
                                .name());
        forcedWatermarks.merge(s, watermark, Math::max);
        fireTimers(s);
    }

    /**
     * @param stream a stream
     * @return its current watermark, or {@link WatermarkTracker#NONE}
     */
    public long watermark(String stream) {
        String s = norm(stream);
        return Math.max(
                trackers.get(s).watermark(),
                forcedWatermarks.getOrDefault(s, WatermarkTracker.NONE));
    }

    /**
     * @return the current processing time
     */
    public long processingTime() {
        return now;
    }

    /**
     * @param stream a stream, table or event store, or a late side stream {@code <name>_late}
     * @return every row written to it so far, in order
     */
    public List<Row> output(String stream) {
        return List.copyOf(logs.getOrDefault(norm(stream), List.of()));
    }

    /**
     * @param stream a stream
     * @return its payloads so far, in order (tombstones left out)
     */
    public List<JsonNode> values(String stream) {
        return output(stream).stream()
                .filter(r -> !r.tombstone())
                .map(r -> (JsonNode) r.value())
                .toList();
    }

    /**
     * The latest row per key and window, as a table would hold it (tombstones remove).
     *
     * @param name an aggregate's sink
     * @return the materialized rows, keyed by {@code key} or {@code key@[start,end)}
     */
    public Map<String, JsonNode> table(String name) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Row r : output(name)) {
            String k =
                    r.key()
                            + (r.window() == null
                                    ? ""
                                    : "@[" + r.window().start() + "," + r.window().end() + ")");
            if (r.tombstone()) {
                out.remove(k);
            } else {
                out.put(k, r.value());
            }
        }
        return out;
    }

    /**
     * @param name a query's sink
     * @return how many records went to {@code <name>_late}
     */
    public long lateCount(String name) {
        return output(name + "_late").size();
    }

    private void deliver(String stream, int partition, Row row) {
        String s = norm(stream);
        logs.computeIfAbsent(s, k -> new ArrayList<>()).add(row);
        WatermarkTracker t = trackers.get(s);
        if (t != null && !row.tombstone()) {
            trackers.put(
                    s, t.onRecord(Math.min(partition, t.partitions() - 1), row.eventTime(), now));
        }
        for (RunningQuery q : new ArrayList<>(queries.values())) {
            if (q.sources().contains(s)) {
                if (row.tombstone() && q.plan.join().isEmpty()) {
                    continue;
                }
                emit(q, q.onRecord(s, row, this::watermark));
                emit(q, q.fireTimers(this::watermark));
            }
        }
    }

    private void fireTimers(String stream) {
        for (RunningQuery q : new ArrayList<>(queries.values())) {
            if (q.sources().contains(stream)) {
                emit(q, q.fireTimers(this::watermark));
            }
        }
    }

    private void emit(RunningQuery q, Emitted e) {
        String sink = q.plan.sink().name();
        logs.computeIfAbsent(norm(sink) + "_late", k -> new ArrayList<>()).addAll(e.late());
        for (Row r : e.outputs()) {
            deliver(sink, 0, r);
        }
    }

    private static ObjectNode parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalArgumentException("not a JSON object: " + json);
            }
            return o;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON: " + json, e);
        }
    }

    static String norm(String name) {
        return Objects.requireNonNull(name).toLowerCase(Locale.ROOT);
    }

    /** What one step of a query produced. */
    record Emitted(List<Row> outputs, List<Row> late) {}
}
