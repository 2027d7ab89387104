package io.virta.actors.api;

import java.time.Instant;
import java.util.List;

/**
 * A running pipeline: a persistent query that reads {@code source} and writes the stream {@code
 * name}.
 *
 * @param sql its CREATE ... AS SELECT statement
 * @param start {@code latest} (only events that arrive after it was made) or {@code earliest} (the
 *     source's history first)
 * @param plan its steps, one line each
 */
public record PipelineInfo(
        String name,
        String sql,
        String source,
        String start,
        List<String> plan,
        Instant createdAt) {
    public PipelineInfo {
        plan = List.copyOf(plan);
    }
}
