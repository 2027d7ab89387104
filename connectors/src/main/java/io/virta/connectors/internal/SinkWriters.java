package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;

/** INTERNAL API: the topic writer of a sink's connector type. */
final class SinkWriters {
    private SinkWriters() {}

    /** True when sinks of {@code spec}'s type can run. */
    static boolean supports(ConnectorSpec spec) {
        return spec.type().equals("kafka") || spec.type().equals("pulsar");
    }

    /** A writer for {@code spec}'s topic. */
    static TopicWriter writer(ConnectorSpec spec) {
        return spec.type().equals("pulsar")
                ? new PulsarTopicWriter(spec)
                : new KafkaTopicWriter(spec);
    }
}
