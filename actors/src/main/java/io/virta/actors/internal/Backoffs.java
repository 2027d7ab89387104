package io.virta.actors.internal;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;

/** INTERNAL API: reads a {@code restart-backoff} block into a supervisor strategy. */
public final class Backoffs {
    private Backoffs() {}

    public static BackoffSupervisorStrategy fromConfig(Config backoff) {
        return SupervisorStrategy.restartWithBackoff(
                backoff.getDuration("min"),
                backoff.getDuration("max"),
                backoff.getDouble("random-factor"));
    }
}
