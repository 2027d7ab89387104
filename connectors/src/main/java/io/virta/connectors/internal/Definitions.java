package io.virta.connectors.internal;

import io.virta.actors.api.ConnectorSpec;
import io.virta.runtime.stream.StreamDefinition;

/** INTERNAL API: how a source connector reads key and time out of a record's value. */
final class Definitions {
    private Definitions() {}

    /** The stream's definition with the connector's own key and timestamp fields, if it has any. */
    static StreamDefinition overridden(StreamDefinition stream, ConnectorSpec spec) {
        StreamDefinition d = stream;
        if (spec.keyField() != null) {
            d =
                    StreamDefinition.of(
                                    d.name(),
                                    spec.keyField(),
                                    d.timestampField().orElse(null),
                                    d.idField().orElse(null))
                            .withColumns(d.columns());
        }
        if (spec.timestampField() != null) {
            d = d.withTimestampField(spec.timestampField());
        }
        return d;
    }
}
