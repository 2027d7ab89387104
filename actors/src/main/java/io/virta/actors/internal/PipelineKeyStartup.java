package io.virta.actors.internal;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * INTERNAL API: how a {@link PipelineKeyEntity} starts: with its pipeline's plan from this node's
 * {@link PipelineRegistry}, loading the catalog first when this node does not know the pipeline yet
 * (made through another node), and stopping when the pipeline does not run.
 */
final class PipelineKeyStartup {
    private PipelineKeyStartup() {}

    static Behavior<PipelineKeyEntity.Command> create(
            ActorContext<PipelineKeyEntity.Command> context, String entityId, InputReader reader) {
        String pipeline = entityId.substring(0, entityId.indexOf('/'));
        PipelineRegistry registry = PipelineRegistry.get(context.getSystem());
        if (registry.get(pipeline).isPresent()) {
            return start(context, entityId, reader);
        }
        // This node may not have loaded a pipeline made elsewhere yet: load, then start with what
        // came in.
        return Behaviors.withStash(
                1000,
                stash -> {
                    context.pipeToSelf(
                            registry.refresh(), (v, failure) -> new PipelineKeyEntity.Loaded());
                    return Behaviors.receive(PipelineKeyEntity.Command.class)
                            .onMessage(
                                    PipelineKeyEntity.Loaded.class,
                                    loaded -> stash.unstashAll(start(context, entityId, reader)))
                            .onAnyMessage(
                                    message -> {
                                        stash.stash(message);
                                        return Behaviors.same();
                                    })
                            .build();
                });
    }

    private static Behavior<PipelineKeyEntity.Command> start(
            ActorContext<PipelineKeyEntity.Command> context, String entityId, InputReader reader) {
        String pipeline = entityId.substring(0, entityId.indexOf('/'));
        String key = entityId.substring(entityId.indexOf('/') + 1);
        PipelineRegistry.Running running =
                PipelineRegistry.get(context.getSystem()).get(pipeline).orElse(null);
        if (running == null || !running.runnable()) {
            context.getLog()
                    .info(
                            "Pipeline {} does not run ({}); its key {} stays idle",
                            pipeline,
                            running == null ? "not in the catalog" : running.unsupported(),
                            key);
            return Behaviors.stopped();
        }
        String side = null;
        if (running.plan().join().isPresent()) {
            // A join reads both inputs: "<pipeline>/L/<key>" or "<pipeline>/R/<key>".
            side = key.substring(0, 1);
            key = key.substring(2);
        }
        return new PipelineKeyEntity(context, entityId, key, side, running, reader);
    }
}
