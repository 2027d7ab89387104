package io.virta.actors.internal;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;

/**
 * INTERNAL API: the {@code virta.actors.key-entity} settings, documented in {@code reference.conf}.
 *
 * @param snapshotEvery events between two snapshots of a key
 * @param keepSnapshots snapshots kept per key
 * @param rememberedEventIds most recent event ids a key remembers for de-duplication
 * @param passivateAfterIdle idle time after which a key's entity stops
 * @param maxBatchEvents most events in one atomic batch
 * @param maxBatchBytes most payload bytes in one atomic batch (a single larger event goes alone)
 * @param restartBackoff how a key restarts after a failed write or recovery
 */
public record KeyEntitySettings(
        int snapshotEvery,
        int keepSnapshots,
        int rememberedEventIds,
        Duration passivateAfterIdle,
        int maxBatchEvents,
        long maxBatchBytes,
        BackoffSupervisorStrategy restartBackoff) {

    public KeyEntitySettings {
        requirePositive("snapshot-every", snapshotEvery);
        requirePositive("keep-snapshots", keepSnapshots);
        requirePositive("remembered-event-ids", rememberedEventIds);
        requirePositive("max-batch-events", maxBatchEvents);
        requirePositive("max-batch-bytes", maxBatchBytes);
    }

    /** Reads the {@code virta.actors.key-entity} block of {@code config}. */
    public static KeyEntitySettings fromConfig(Config config) {
        Config c = config.getConfig("virta.actors.key-entity");
        return new KeyEntitySettings(
                c.getInt("snapshot-every"),
                c.getInt("keep-snapshots"),
                c.getInt("remembered-event-ids"),
                c.getDuration("passivate-after-idle"),
                c.getInt("max-batch-events"),
                c.getBytes("max-batch-bytes"),
                Backoffs.fromConfig(c.getConfig("restart-backoff")));
    }

    private static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(
                    "virta.actors.key-entity." + key + " must be positive, was " + value);
        }
    }
}
