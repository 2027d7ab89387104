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
        return PipelineStartup.whenKnown(
                context,
                pipeline,
                new PipelineKeyEntity.Loaded(),
                PipelineKeyEntity.Loaded.class,
                () -> start(context, entityId, reader));
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
