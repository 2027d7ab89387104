package io.virta.actors.api;

import java.time.Instant;
import java.util.List;

/**
 * A pipeline of the catalog: a persistent query that reads {@code source} and writes the stream
 * {@code name}.
 *
 * @param sql its CREATE ... AS SELECT statement
 * @param start {@code latest} (only events that arrive after it was made) or {@code earliest} (the
 *     source's history first)
 * @param plan its steps, one line each
 * @param state {@code running} when this node runs it, else {@code not running}
 * @param reason why it does not run, or empty
 * @param keyGroups how many key groups hold its keys' state when it is fed from a topic, fixed when
 *     it was made
 */
public record PipelineInfo(
        String name,
        String sql,
        String source,
        String start,
        List<String> plan,
        Instant createdAt,
        String state,
        String reason,
        int keyGroups) {
    public PipelineInfo {
        plan = List.copyOf(plan);
    }
}
