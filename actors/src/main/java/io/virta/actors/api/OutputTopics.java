package io.virta.actors.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The topics that keep the history of pipelines' output streams, on this node: a sink connector
 * declared with {@code history = 'topic'} registers a {@link Writer} for its stream on every node,
 * and the pipelines writing that stream produce their outputs straight to it instead of storing
 * them per key in Cassandra (where the sink would read them back).
 *
 * <pre>{@code
 * OutputTopics.get(system).register("per_minute", events -> producer.send(events));
 * }</pre>
 */
public final class OutputTopics implements Extension {

    /** Writes events of a stream to its topic. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Completes once the broker acknowledged every event of {@code events}: record key = the
         * event's key, value = its payload, its id in the header {@code virta-event-id}. Writing
         * the same events again (after a crash) writes exact repeats with the same ids.
         */
        CompletionStage<Void> write(List<PositionedEvent> events);
    }

    private final Map<String, Writer> writers = new ConcurrentHashMap<>();

    private OutputTopics() {}

    /** This node's registry. */
    public static OutputTopics get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /** Outputs of {@code stream} go to {@code writer} from now on, on this node. */
    public void register(String stream, Writer writer) {
        writers.put(key(stream), writer);
    }

    /** Removes {@code writer} of {@code stream}, unless another replaced it meanwhile. */
    public void unregister(String stream, Writer writer) {
        writers.remove(key(stream), writer);
    }

    /** The writer of {@code stream} on this node, if its sink registered one. */
    public Optional<Writer> writer(String stream) {
        return Optional.ofNullable(writers.get(key(stream)));
    }

    // Stream names are case-insensitive, as in SQL.
    private static String key(String stream) {
        return stream.toLowerCase(java.util.Locale.ROOT);
    }

    private static final class Id extends ExtensionId<OutputTopics> {
        static final Id INSTANCE = new Id();

        @Override
        public OutputTopics createExtension(ActorSystem<?> system) {
            return new OutputTopics();
        }
    }
}
