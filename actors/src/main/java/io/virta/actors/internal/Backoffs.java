package io.virta.actors.internal;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;

/** INTERNAL API: reads a {@code restart-backoff} block into a supervisor strategy. */
public final class Backoffs {
    private Backoffs() {}

    /**
     * The restart backoff of entities after a failed journal write or recovery ({@code
     * virta.actors.key-entity.restart-backoff}), shared by key entities and pipeline entities.
     */
    public static BackoffSupervisorStrategy entityRestart(
            org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return fromConfig(
                system.settings().config().getConfig("virta.actors.key-entity.restart-backoff"));
    }

    public static BackoffSupervisorStrategy fromConfig(Config backoff) {
        return SupervisorStrategy.restartWithBackoff(
                backoff.getDuration("min"),
                backoff.getDuration("max"),
                backoff.getDouble("random-factor"));
    }
}
