package io.virta.actors.api;

import java.time.Instant;

/**
 * A connector of the catalog.
 *
 * @param spec what it connects, validated
 * @param sql the statement that declared it
 * @param paused true while paused: it reads and writes nothing, and resumes where it stopped
 */
public record ConnectorInfo(ConnectorSpec spec, String sql, Instant createdAt, boolean paused) {}
