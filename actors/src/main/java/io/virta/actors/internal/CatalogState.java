package io.virta.actors.internal;

import io.virta.actors.internal.StreamCatalog.CatalogEvent;
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
 */
public record CatalogState(Map<String, Defined> streams, Map<String, PipelineCreated> pipelines)
        implements CborSerializable {

    public CatalogState {
        streams = Collections.unmodifiableMap(new LinkedHashMap<>(streams));
        pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    }

    static CatalogState empty() {
        return new CatalogState(Map.of(), Map.of());
    }

    /** This state after {@code event}. */
    CatalogState apply(CatalogEvent event) {
        if (event instanceof Defined defined) {
            Map<String, Defined> next = new LinkedHashMap<>(streams);
            next.put(defined.name(), defined);
            return new CatalogState(next, pipelines);
        }
        if (event instanceof PipelineCreated created) {
            Map<String, PipelineCreated> next = new LinkedHashMap<>(pipelines);
            next.put(created.name(), created);
            return new CatalogState(streams, next);
        }
        PipelineDropped dropped = (PipelineDropped) event;
        Map<String, PipelineCreated> next = new LinkedHashMap<>(pipelines);
        next.remove(dropped.name());
        return new CatalogState(streams, next);
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
