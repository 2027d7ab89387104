package io.virta.connectors.internal;

import io.virta.connectors.ConnectorStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * INTERNAL API: a connector's status over every node of the cluster. Each node runs one {@link
 * #behavior} actor, registered with the receptionist, that answers with the status of the
 * connector's runner on that node; {@link #gather} asks them all and merges ({@link StatusMerge}).
 * A node that does not answer in time is named in the status' error instead of failing it.
 */
public final class ClusterStatus {
    private ClusterStatus() {}

    static final ServiceKey<Ask> KEY = ServiceKey.create(Ask.class, "virta-connector-status");

    /** The status of connector {@code name} on the receiving node. */
    public record Ask(String name, ActorRef<Answer> replyTo) implements CborMessage {}

    /** A node's answer: {@code status} null when the connector does not run there. */
    public record Answer(String node, ConnectorStatus status) implements CborMessage {}

    /**
     * The per-node actor; {@code local} gives the status of a connector's runner on this node, or
     * empty when none runs here.
     */
    public static Behavior<Ask> behavior(
            Function<String, Optional<CompletionStage<ConnectorStatus>>> local) {
        return Behaviors.setup(
                context -> {
                    context.getSystem()
                            .receptionist()
                            .tell(Receptionist.register(KEY, context.getSelf()));
                    String node =
                            Cluster.get(context.getSystem()).selfMember().address().toString();
                    return Behaviors.receiveMessage(
                            ask -> {
                                Optional<CompletionStage<ConnectorStatus>> status =
                                        local.apply(ask.name());
                                if (status.isEmpty()) {
                                    ask.replyTo().tell(new Answer(node, null));
                                } else {
                                    status.get()
                                            .whenComplete(
                                                    (s, failure) ->
                                                            ask.replyTo()
                                                                    .tell(
                                                                            new Answer(
                                                                                    node,
                                                                                    failure == null
                                                                                            ? s
                                                                                            : failed(
                                                                                                    ask
                                                                                                            .name(),
                                                                                                    failure))));
                                }
                                return Behaviors.same();
                            });
                });
    }

    private static ConnectorStatus failed(String name, Throwable failure) {
        return new ConnectorStatus(name, "running", String.valueOf(failure), List.of(), "");
    }

    /**
     * Asks every node for connector {@code name}'s status and merges the answers; waits at most
     * {@code timeout} for each.
     */
    public static CompletionStage<ConnectorStatus> gather(
            ActorSystem<?> system, String name, Duration timeout) {
        return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                        system.receptionist(),
                        replyTo -> Receptionist.find(KEY, replyTo),
                        timeout,
                        system.scheduler())
                .thenCompose(
                        listing -> {
                            List<ActorRef<Ask>> nodes =
                                    new ArrayList<>(listing.getServiceInstances(KEY));
                            List<CompletableFuture<Optional<Answer>>> answers = new ArrayList<>();
                            for (ActorRef<Ask> node : nodes) {
                                answers.add(
                                        AskPattern.<Ask, Answer>ask(
                                                        node,
                                                        replyTo -> new Ask(name, replyTo),
                                                        timeout,
                                                        system.scheduler())
                                                .thenApply(Optional::of)
                                                .exceptionally(failure -> Optional.empty())
                                                .toCompletableFuture());
                            }
                            return CompletableFuture.allOf(
                                            answers.toArray(CompletableFuture[]::new))
                                    .thenApply(
                                            done -> {
                                                List<StatusMerge.NodeReport> reports =
                                                        new ArrayList<>();
                                                List<String> silent = new ArrayList<>();
                                                for (int i = 0; i < nodes.size(); i++) {
                                                    Optional<Answer> a = answers.get(i).join();
                                                    if (a.isEmpty()) {
                                                        silent.add(
                                                                nodes.get(i)
                                                                        .path()
                                                                        .address()
                                                                        .toString());
                                                    } else if (a.get().status() != null) {
                                                        reports.add(
                                                                new StatusMerge.NodeReport(
                                                                        a.get().node(),
                                                                        a.get().status()));
                                                    }
                                                }
                                                reports.sort(
                                                        java.util.Comparator.comparing(
                                                                StatusMerge.NodeReport::node));
                                                return StatusMerge.merge(name, reports, silent);
                                            });
                        });
    }
}
