package io.virta.actors.internal;

import io.virta.actors.internal.StreamCatalog.CatalogEvent;
import io.virta.actors.internal.StreamCatalog.ConnectorCreated;
import io.virta.actors.internal.StreamCatalog.ConnectorDropped;
import io.virta.actors.internal.StreamCatalog.ConnectorPaused;
import io.virta.actors.internal.StreamCatalog.Defined;
import io.virta.actors.internal.StreamCatalog.PipelineCreated;
import io.virta.actors.internal.StreamCatalog.PipelineDropped;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: the catalog's state: streams and running pipelines by name, each in the order they
 * were made (SQL declarations are planned again in that order). Immutable; {@link #apply} returns a
 * new value.
 *
 * @param streams every stream, in definition order
 * @param pipelines every running pipeline, in creation order
 * @param connectors every connector, in creation order, with whether it is paused
 */
public record CatalogState(
        Map<String, Defined> streams,
        Map<String, PipelineCreated> pipelines,
        Map<String, ConnectorCreated> connectors)
        implements CborSerializable {

    public CatalogState {
        streams = Collections.unmodifiableMap(new LinkedHashMap<>(streams));
        pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
        // Absent from snapshots taken before connectors existed.
        connectors =
                Collections.unmodifiableMap(
                        new LinkedHashMap<>(connectors == null ? Map.of() : connectors));
    }

    static CatalogState empty() {
        return new CatalogState(Map.of(), Map.of(), Map.of());
    }

    /** This state after {@code event}. */
    CatalogState apply(CatalogEvent event) {
        if (event instanceof Defined defined) {
            Map<String, Defined> next = new LinkedHashMap<>(streams);
            next.put(defined.name(), defined);
            return new CatalogState(next, pipelines, connectors);
        }
        if (event instanceof PipelineCreated created) {
            Map<String, PipelineCreated> next = new LinkedHashMap<>(pipelines);
            next.put(created.name(), created);
            return new CatalogState(streams, next, connectors);
        }
        if (event instanceof PipelineDropped dropped) {
            Map<String, PipelineCreated> next = new LinkedHashMap<>(pipelines);
            next.remove(dropped.name());
            return new CatalogState(streams, next, connectors);
        }
        Map<String, ConnectorCreated> next = new LinkedHashMap<>(connectors);
        if (event instanceof ConnectorCreated created) {
            next.put(created.spec().name(), created);
        } else if (event instanceof ConnectorDropped dropped) {
            next.remove(dropped.name());
        } else {
            ConnectorPaused paused = (ConnectorPaused) event;
            ConnectorCreated c = next.get(paused.name());
            if (c != null) {
                next.put(paused.name(), c.withPaused(paused.paused()));
            }
        }
        return new CatalogState(streams, pipelines, next);
    }

    /** Every stream, ordered by name. */
    List<Defined> streamsByName() {
        return streams.values().stream().sorted(Comparator.comparing(Defined::name)).toList();
    }

    /** Every running pipeline, ordered by name. */
    List<PipelineCreated> pipelinesByName() {
        return pipelines.values().stream()
                .sorted(Comparator.comparing(PipelineCreated::name))
                .toList();
    }
}
