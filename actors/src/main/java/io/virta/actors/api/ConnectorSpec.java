package io.virta.actors.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A connector as declared by {@code CREATE SOURCE|SINK CONNECTOR name WITH (...)}: a bridge between
 * a Virta stream and a topic of Kafka or Pulsar. Immutable; {@link #parse} validates the options
 * and says which one is wrong.
 *
 * <p>Options (names case-insensitive): {@code type} ({@code kafka} or {@code pulsar}; {@code
 * connector.class} is taken as an alias), {@code servers} (Kafka bootstrap servers or a Pulsar
 * service URL; aliases {@code bootstrap.servers}, {@code service.url}), {@code topic}, {@code
 * stream}, {@code format} ({@code json}, the default), {@code key} and {@code timestamp} (JSON
 * pointers into a record's value; by default the stream's own key and time fields), {@code start}
 * ({@code earliest}, the default, or {@code latest}), {@code dead.letter.topic} (a source's
 * dead-letter topic; default {@code <topic>-dlq}), {@code history} (a source's: {@code topic}, the
 * default, keeps the stream's history in the topic and feeds its pipelines straight from it,
 * checkpointing their keys' state with the offsets or, for Pulsar, the message ids (Failover
 * subscriptions only); {@code cassandra} also stores every record per key in Cassandra, which costs
 * a write per record but lets the stream be replayed, subscribed to and read by joins and re-keying
 * pipelines. A sink's: {@code cassandra}, the default, copies the stream as Virta stores it per
 * key; {@code topic} makes the topic the stream's history: the pipelines writing the stream produce
 * their outputs straight to it ({@link OutputTopics}) and Virta stores none of them, so the stream
 * can no longer be replayed, subscribed to or appended to through Virta). Every other option goes
 * to the client library as it is written (for example {@code security.protocol}, {@code
 * sasl.jaas.config}).
 *
 * @param kind {@code SOURCE} (topic to stream) or {@code SINK} (stream to topic)
 * @param clientOptions the options passed to the client library
 * @param history {@code topic} or {@code cassandra}; null (a connector declared before the option
 *     existed) means {@code cassandra}
 */
public record ConnectorSpec(
        String name,
        String kind,
        String type,
        String servers,
        String topic,
        String stream,
        String format,
        String keyField,
        String timestampField,
        String start,
        String deadLetterTopic,
        Map<String, String> clientOptions,
        String history) {

    private static final Set<String> KNOWN =
            Set.of(
                    "type",
                    "connector.class",
                    "servers",
                    "bootstrap.servers",
                    "service.url",
                    "topic",
                    "stream",
                    "format",
                    "key",
                    "timestamp",
                    "start",
                    "dead.letter.topic",
                    "history");

    public ConnectorSpec {
        clientOptions = Map.copyOf(clientOptions);
    }

    /**
     * True for a connector whose stream keeps its history in the topic: a source's pipelines are
     * fed from the topic and its records are not stored per key; a sink's stream is produced
     * straight to the topic by the pipelines writing it, and not stored per key either.
     */
    public boolean topicHistory() {
        return "topic".equals(history);
    }

    /** True for a connector that reads a topic into a stream. */
    public boolean source() {
        return kind.equals("SOURCE");
    }

    /**
     * Validates {@code options} of connector {@code name}.
     *
     * @param kind SOURCE or SINK
     * @throws IllegalArgumentException naming the missing or wrong option
     */
    public static ConnectorSpec parse(String name, String kind, Map<String, String> options) {
        return parse(name, kind, options, Map.of());
    }

    /**
     * The same, with the brokers to use when the declaration names none: {@code defaultServers}
     * maps a type ({@code kafka}, {@code pulsar}) to its servers, as a deployment configures them
     * ({@code virta.actors.connector-defaults}). The spec keeps the servers it was made with.
     *
     * @throws IllegalArgumentException naming the missing or wrong option
     */
    public static ConnectorSpec parse(
            String name,
            String kind,
            Map<String, String> options,
            Map<String, String> defaultServers) {
        Map<String, String> known = new LinkedHashMap<>();
        Map<String, String> client = new LinkedHashMap<>();
        options.forEach(
                (option, value) -> {
                    String lower = option.toLowerCase(Locale.ROOT);
                    if (KNOWN.contains(lower)) {
                        known.put(lower, value);
                    } else {
                        client.put(option, value);
                    }
                });
        String type =
                first(known, "type", "connector.class")
                        .toLowerCase(Locale.ROOT)
                        .replaceAll(".*(kafka|pulsar).*", "$1");
        if (!type.equals("kafka") && !type.equals("pulsar")) {
            throw new IllegalArgumentException(
                    "option 'type' must be 'kafka' or 'pulsar', was '"
                            + first(known, "type")
                            + "'");
        }
        String servers = first(known, "servers", "bootstrap.servers", "service.url");
        if (servers.isEmpty()) {
            servers = defaultServers.getOrDefault(type, "");
        }
        require(
                servers,
                "servers",
                "the Kafka bootstrap servers or the Pulsar service URL (this deployment sets no"
                        + " default "
                        + type
                        + " servers)");
        String topic = known.getOrDefault("topic", "");
        require(topic, "topic", "the topic to " + (kind.equals("SOURCE") ? "read" : "write"));
        String stream = known.getOrDefault("stream", "");
        require(stream, "stream", "the stream to " + (kind.equals("SOURCE") ? "write" : "read"));
        String format = known.getOrDefault("format", "json").toLowerCase(Locale.ROOT);
        if (!format.equals("json")) {
            throw new IllegalArgumentException(
                    "option 'format' must be 'json' (the only format so far), was '"
                            + format
                            + "'");
        }
        String start = known.getOrDefault("start", "earliest").toLowerCase(Locale.ROOT);
        if (!start.equals("earliest") && !start.equals("latest")) {
            throw new IllegalArgumentException(
                    "option 'start' must be 'earliest' or 'latest', was '" + start + "'");
        }
        String history =
                known.getOrDefault("history", kind.equals("SOURCE") ? "topic" : "cassandra")
                        .toLowerCase(Locale.ROOT);
        if (!history.equals("topic") && !history.equals("cassandra")) {
            throw new IllegalArgumentException(
                    "option 'history' must be 'topic' or 'cassandra', was '" + history + "'");
        }
        String discovery = client.get("autoUpdatePartitionsIntervalSeconds");
        if (type.equals("pulsar")
                && discovery != null
                && !discovery.trim().matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException(
                    "option 'autoUpdatePartitionsIntervalSeconds' must be a whole number of seconds,"
                            + " at least 1, was '"
                            + discovery
                            + "'");
        }
        if (history.equals("topic")
                && type.equals("pulsar")
                && kind.equals("SOURCE")
                && client.entrySet().stream()
                        .anyMatch(
                                o ->
                                        o.getKey().equalsIgnoreCase("subscription.type")
                                                && !o.getValue().equalsIgnoreCase("failover"))) {
            // Key groups checkpoint a position per partition, which needs each partition read in
            // order by one consumer: Failover, not Key_Shared.
            throw new IllegalArgumentException(
                    "option 'subscription.type' must be 'Failover' with 'history' = 'topic' (each"
                            + " partition read in order by one node); use 'history' = 'cassandra'"
                            + " for Key_Shared");
        }
        return new ConnectorSpec(
                name,
                kind,
                type,
                servers,
                topic,
                stream,
                format,
                pointer(known.get("key")),
                pointer(known.get("timestamp")),
                start,
                known.getOrDefault("dead.letter.topic", topic + "-dlq"),
                client,
                history);
    }

    private static String first(Map<String, String> known, String... names) {
        for (String name : names) {
            String value = known.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }

    private static void require(String value, String option, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("option '" + option + "' is missing: " + what);
        }
    }

    /** A field name or a JSON pointer, as a JSON pointer; null stays null. */
    private static String pointer(String field) {
        if (field == null || field.isBlank()) {
            return null;
        }
        return field.startsWith("/") ? field : "/" + field;
    }
}
