package io.virta.actors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.actors.internal.StreamCatalog.CatalogEvent;
import io.virta.actors.internal.StreamCatalog.Defined;
import io.virta.actors.internal.StreamCatalog.PipelineCreated;
import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.Planner;
import io.virta.runtime.plan.QueryPlan;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.sql.SqlException;
import io.virta.runtime.sql.SqlParser;
import io.virta.runtime.sql.ast.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: applies SQL statements to the catalog, purely: given the state and the statements,
 * the outcome of each and the events to journal. Statements run in order, each seeing what the ones
 * before it made; after the first failure the rest are skipped, so a script either gets as far as
 * its first error or all the way.
 *
 * <p>Understood: {@code CREATE STREAM|TABLE name (columns) WITH (KEY=..., TIMESTAMP=...)} (an input
 * stream; its events are posted over HTTP with the key and time at those columns) and {@code CREATE
 * STREAM|TABLE name AS SELECT ...} (a pipeline writing the stream {@code name}). Other statements
 * are refused with a reason.
 */
public final class SqlDdl {
    private SqlDdl() {}

    /**
     * The outcome of one statement.
     *
     * @param status CREATED, EXISTS (an identical statement made it before), FAILED or SKIPPED
     * @param kind what it makes (STREAM, TABLE, PIPELINE) or the statement's kind
     * @param name the name it makes, if any
     * @param detail why it failed, or what it made
     * @param line 1-based line of a failure within the statement text, 0 when none
     * @param column 1-based column of a failure within the statement text, 0 when none
     */
    public record Outcome(
            String statement,
            String status,
            String kind,
            String name,
            String detail,
            int line,
            int column)
            implements CborSerializable {}

    /** The outcomes, one per statement, and the events that make them durable. */
    public record Result(List<Outcome> outcomes, List<CatalogEvent> events) {}

    /**
     * The runtime catalog that SQL sees: every stream declared by SQL, planned again in definition
     * order.
     */
    public static Catalog sqlCatalog(CatalogState state) {
        return compile(state).catalog();
    }

    /** The columns {@code sql} declares when it is a CREATE with columns; empty otherwise. */
    public static List<io.virta.runtime.plan.Column> declaredColumns(String sql) {
        Statement statement = SqlParser.parse(sql);
        if (statement instanceof Statement.CreateSource source) {
            return Planner.describe(source).columns();
        }
        return statement instanceof Statement.CreateEventStore store
                ? Planner.describe(store).columns()
                : List.of();
    }

    /** The SQL catalog and the plan of every stream written by a pipeline, by its name. */
    public record Compiled(Catalog catalog, Map<String, QueryPlan> plans) {}

    /** Plans every SQL declaration again, in definition order. */
    public static Compiled compile(CatalogState state) {
        Catalog catalog = Catalog.empty();
        Map<String, QueryPlan> plans = new HashMap<>();
        for (Defined defined : state.streams().values()) {
            if (defined.sql() == null) {
                continue;
            }
            Statement statement = SqlParser.parse(defined.sql());
            if (statement instanceof Statement.CreateAsSelect query) {
                QueryPlan plan = Planner.plan(query, catalog);
                plans.put(defined.name(), plan);
                catalog = catalog.with(plan.sink());
            } else {
                catalog = catalog.with(describe(statement, catalog));
            }
        }
        return new Compiled(catalog, Map.copyOf(plans));
    }

    private static SourceDescription describe(Statement statement, Catalog catalog) {
        if (statement instanceof Statement.CreateSource source) {
            return Planner.describe(source);
        }
        if (statement instanceof Statement.CreateEventStore store) {
            return Planner.describe(store);
        }
        return Planner.plan((Statement.CreateAsSelect) statement, catalog).sink();
    }

    /**
     * Applies {@code statements} (texts of single statements) to {@code state}.
     *
     * @param start {@code latest} or {@code earliest}: where new pipelines start in their input
     */
    public static Result apply(
            CatalogState state, List<String> statements, String start, long now) {
        return apply(state, statements, start, now, Defaults.NONE);
    }

    /**
     * What a declaration gets where it says nothing.
     *
     * @param servers the brokers of a connector declaration that names none, by type ({@link
     *     ConnectorSpec#parse(String, String, Map, Map)})
     * @param keyGroups the key groups of a new pipeline, fixed for its life ({@link
     *     PipelineCreated#keyGroups})
     */
    public record Defaults(Map<String, String> servers, int keyGroups) {
        /** No brokers; {@link io.virta.actors.api.TopicFeeds#DEFAULT_KEY_GROUPS} key groups. */
        public static final Defaults NONE =
                new Defaults(Map.of(), io.virta.actors.api.TopicFeeds.DEFAULT_KEY_GROUPS);

        public Defaults {
            servers = Map.copyOf(servers);
            if (keyGroups < 1) {
                throw new IllegalArgumentException("keyGroups must be positive, was " + keyGroups);
            }
        }
    }

    /** The same, with {@code defaults} for what declarations leave out. */
    public static Result apply(
            CatalogState state,
            List<String> statements,
            String start,
            long now,
            Defaults defaults) {
        List<Outcome> outcomes = new ArrayList<>();
        List<CatalogEvent> events = new ArrayList<>();
        Catalog catalog = sqlCatalog(state);
        boolean failed = false;
        for (String text : statements) {
            if (failed) {
                outcomes.add(
                        new Outcome(text, "SKIPPED", "", "", "an earlier statement failed", 0, 0));
                continue;
            }
            Outcome outcome;
            int before = events.size();
            try {
                Statement statement = SqlParser.parse(text);
                outcome = applyOne(text, statement, state, catalog, start, now, defaults, events);
                boolean makesStream =
                        statement instanceof Statement.CreateSource
                                || statement instanceof Statement.CreateEventStore
                                || statement instanceof Statement.CreateAsSelect;
                if (outcome.status().equals("CREATED") && makesStream) {
                    catalog = catalog.with(describe(statement, catalog));
                }
                for (CatalogEvent e : events.subList(before, events.size())) {
                    state = state.apply(e);
                }
            } catch (SqlException e) {
                events.subList(before, events.size()).clear();
                outcome = new Outcome(text, "FAILED", "", "", e.reason(), e.line(), e.column());
            } catch (IllegalArgumentException e) {
                events.subList(before, events.size()).clear();
                outcome = new Outcome(text, "FAILED", "", "", e.getMessage(), 0, 0);
            }
            failed = outcome.status().equals("FAILED");
            outcomes.add(outcome);
        }
        return new Result(outcomes, events);
    }

    private static Outcome applyOne(
            String text,
            Statement statement,
            CatalogState state,
            Catalog catalog,
            String start,
            long now,
            Defaults defaults,
            List<CatalogEvent> events) {
        if (statement instanceof Statement.CreateSource source) {
            Defined existing = state.streams().get(source.name());
            if (existing != null) {
                return existing(text, "STREAM", source.name(), existing, source.ifNotExists());
            }
            SourceDescription description = Planner.describe(source);
            events.add(definition(description, now, text));
            return created(
                    text, source.kind().name(), source.name(), "declared " + description.name());
        }
        if (statement instanceof Statement.CreateEventStore store) {
            Defined existing = state.streams().get(store.name());
            if (existing != null) {
                return existing(text, "EVENT_STORE", store.name(), existing, store.ifNotExists());
            }
            SourceDescription description = Planner.describe(store);
            events.add(definition(description, now, text));
            return created(text, "EVENT_STORE", store.name(), "declared " + description.name());
        }
        if (statement instanceof Statement.CreateAsSelect query) {
            Defined existing = state.streams().get(query.name());
            if (existing != null) {
                return existing(text, "PIPELINE", query.name(), existing, query.ifNotExists());
            }
            QueryPlan plan = Planner.plan(query, catalog);
            boolean global = plan.aggregate().isPresent() && plan.rekeys();
            Defined sink = definition(plan.sink(), now, text, global);
            events.add(sink);
            String late = OutputWriter.lateStream(query.name());
            if (PipelineRegistry.windowed(plan) && !state.streams().containsKey(late)) {
                // Where the rows that came after their windows closed go: a stream like any other,
                // to replay or subscribe to.
                events.add(new Defined(late, sink.keyField(), null, null, now, null));
            }
            events.add(
                    new PipelineCreated(
                            query.name(),
                            text,
                            plan.source().name(),
                            start,
                            plan.describe(),
                            now,
                            defaults.keyGroups()));
            return created(text, "PIPELINE", query.name(), String.join("; ", plan.describe()));
        }
        if (statement instanceof Statement.CreateConnector connector) {
            return createConnector(text, connector, state, now, defaults.servers(), events);
        }
        if (statement instanceof Statement.DropConnector drop) {
            if (!state.connectors().containsKey(drop.name())) {
                return new Outcome(
                        text,
                        drop.ifExists() ? "EXISTS" : "FAILED",
                        "CONNECTOR",
                        drop.name(),
                        "no connector named '" + drop.name() + "'",
                        drop.ifExists() ? 0 : drop.pos().line(),
                        drop.ifExists() ? 0 : drop.pos().column());
            }
            events.add(new StreamCatalog.ConnectorDropped(drop.name(), now));
            return new Outcome(text, "DROPPED", "CONNECTOR", drop.name(), "dropped", 0, 0);
        }
        String kind = statement.getClass().getSimpleName();
        if (statement instanceof Statement.Select) {
            return new Outcome(
                    text,
                    "FAILED",
                    "SELECT",
                    "",
                    "a SELECT on its own answers once: POST it to /v1/query (CREATE STREAM|TABLE ..."
                            + " AS SELECT runs it continuously)",
                    statement.pos().line(),
                    statement.pos().column());
        }
        return new Outcome(
                text,
                "FAILED",
                kind,
                "",
                kind
                        + " is not supported by /v1/sql yet: it takes CREATE STREAM|TABLE with columns"
                        + " and CREATE STREAM|TABLE ... AS SELECT",
                statement.pos().line(),
                statement.pos().column());
    }

    private static Outcome createConnector(
            String text,
            Statement.CreateConnector connector,
            CatalogState state,
            long now,
            Map<String, String> defaultServers,
            List<CatalogEvent> events) {
        StreamCatalog.ConnectorCreated existing = state.connectors().get(connector.name());
        if (existing != null) {
            boolean same = connector.ifNotExists() || text.equals(existing.sql());
            return new Outcome(
                    text,
                    same ? "EXISTS" : "FAILED",
                    "CONNECTOR",
                    connector.name(),
                    connector.name()
                            + " exists already"
                            + (same ? "" : ", made by: " + existing.sql()),
                    0,
                    0);
        }
        ConnectorSpec spec =
                ConnectorSpec.parse(
                        connector.name(), connector.kind(), connector.options(), defaultServers);
        if (!state.streams().containsKey(spec.stream())) {
            throw new IllegalArgumentException(
                    "option 'stream': no stream named '"
                            + spec.stream()
                            + "'; declare it first (CREATE STREAM ... WITH (KEY=...))");
        }
        String deadLetters = spec.stream() + "_dlq";
        if (spec.source() && !state.streams().containsKey(deadLetters)) {
            // Where the source's poison records go, keyed by "<topic>-<partition>".
            events.add(new Defined(deadLetters, "/source", null, null, now, null));
        }
        events.add(new StreamCatalog.ConnectorCreated(spec, text, now, false));
        return created(
                text,
                "CONNECTOR",
                connector.name(),
                connector.kind().toLowerCase(java.util.Locale.ROOT)
                        + " "
                        + spec.type()
                        + " topic "
                        + spec.topic()
                        + (spec.source() ? " -> stream " : " <- stream ")
                        + spec.stream());
    }

    private static Defined definition(SourceDescription description, long now, String sql) {
        return definition(description, now, sql, false);
    }

    /**
     * @param globalAggregate the stream is written by an aggregate without GROUP BY
     */
    private static Defined definition(
            SourceDescription description, long now, String sql, boolean globalAggregate) {
        if (description.keyColumns().isEmpty() && globalAggregate) {
            // One result row a window for the whole stream: stored under one key.
            String time =
                    description.timestampColumn() == null
                            ? null
                            : "/" + description.timestampColumn();
            return new Defined(
                    description.name(), "/" + OutputWriter.GLOBAL_KEY, time, null, now, sql);
        }
        if (description.keyColumns().isEmpty()) {
            throw new IllegalArgumentException(
                    description.name()
                            + " has no key: declare one with WITH (KEY='column') or a KEY column,"
                            + " or GROUP BY / PARTITION BY a column");
        }
        if (description.keyColumns().size() > 1) {
            throw new IllegalArgumentException(
                    description.name()
                            + " has a key of several columns "
                            + description.keyColumns()
                            + ": streams keep one key column for now");
        }
        String key = "/" + description.keyColumns().get(0);
        String time =
                description.timestampColumn() == null ? null : "/" + description.timestampColumn();
        return new Defined(description.name(), key, time, null, now, sql);
    }

    private static Outcome created(String text, String kind, String name, String detail) {
        return new Outcome(text, "CREATED", kind, name, detail, 0, 0);
    }

    private static Outcome existing(
            String text, String kind, String name, Defined existing, boolean ifNotExists) {
        if (ifNotExists || text.equals(existing.sql())) {
            return new Outcome(text, "EXISTS", kind, name, name + " exists already", 0, 0);
        }
        String how = existing.sql() == null ? "over HTTP" : "by: " + existing.sql();
        return new Outcome(
                text, "FAILED", kind, name, name + " exists already, defined " + how, 0, 0);
    }
}
