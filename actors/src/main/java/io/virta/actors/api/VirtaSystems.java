package io.virta.actors.api;

import com.typesafe.config.Config;
import io.virta.actors.internal.CompactCborMapperFactory;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProviderSetup;

/**
 * The actor system of a Virta node: messages between nodes, journaled events and snapshots travel
 * as compact Jackson CBOR, each repeated string written once per value ({@link
 * io.virta.actors.internal.CompactCborMapperFactory}). A system made otherwise reads them, and
 * writes plain CBOR that this one reads.
 */
public final class VirtaSystems {
    private VirtaSystems() {}

    /** A system named {@code name} (the cluster's name) configured by {@code config}. */
    public static ActorSystem<Void> create(String name, Config config) {
        return ActorSystem.create(
                Behaviors.empty(),
                name,
                ActorSystemSetup.create(BootstrapSetup.create(config))
                        .withSetup(
                                new JacksonObjectMapperProviderSetup(
                                        new CompactCborMapperFactory())));
    }
}
