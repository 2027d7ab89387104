package io.virta.actors.internal;

import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * INTERNAL API: how a pipeline entity starts when its node may not know its pipeline yet (made
 * through another node): it loads the catalog first, stashing what comes meanwhile, then starts.
 */
final class PipelineStartup {
    private PipelineStartup() {}

    /**
     * Starts with {@code start} at once if this node knows {@code pipeline}, else after reloading
     * the registry, which the entity hears as {@code loaded}.
     */
    static <C> Behavior<C> whenKnown(
            ActorContext<C> context,
            String pipeline,
            C loaded,
            Class<? extends C> loadedType,
            Supplier<Behavior<C>> start) {
        PipelineRegistry registry = PipelineRegistry.get(context.getSystem());
        if (registry.get(pipeline).isPresent()) {
            return start.get();
        }
        return Behaviors.withStash(
                1000,
                stash -> {
                    context.pipeToSelf(registry.refresh(), (v, failure) -> loaded);
                    return Behaviors.receiveMessage(
                            message -> {
                                if (loadedType.isInstance(message)) {
                                    return stash.unstashAll(start.get());
                                }
                                stash.stash(message);
                                return Behaviors.same();
                            });
                });
    }
}
