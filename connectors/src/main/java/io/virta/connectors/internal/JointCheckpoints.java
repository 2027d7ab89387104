package io.virta.connectors.internal;

import io.virta.actors.api.TopicFeeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * INTERNAL API: the checkpoints of one topic-fed pipeline's partitions, taken together. Each
 * partition of the consumer asks for a checkpoint of its interval ({@link #checkpoint}); the asks
 * that come together (every partition with records applied and not yet asked for, or whatever came
 * within {@code linger} of the first) make one round, in which each key group is flushed once for
 * all the partitions that sent it records, and the groups' next timers are journalled once. Kafka
 * Streams commits all tasks of a thread at one commit interval for the same reason: with {@code n}
 * partitions feeding every group, checkpointing per partition would cost each group {@code n}
 * journal writes per interval, each with the state of most of its keys.
 *
 * <p>Partitions that are released together by a round ask together at the next interval, so in a
 * steady flow the rounds need no linger. Thread-safe.
 */
final class JointCheckpoints {

    /** The key groups of one pipeline, as a round uses them ({@link TopicFeeds} in production). */
    interface Groups {
        /** {@link TopicFeeds#flush}. */
        CompletionStage<TopicFeeds.FlushResult> flush(int group, Map<String, Long> upTo);

        /** {@link TopicFeeds#apply}. */
        void send(int group, String partition, long after, List<TopicFeeds.TopicRecord> records);

        /** {@link TopicFeeds#setTimers}. */
        CompletionStage<Done> setTimers(Map<Integer, Long> nextTimerByGroup);

        /** The groups of {@code pipeline} through {@code feeds}. */
        static Groups of(TopicFeeds feeds, String pipeline) {
            return new Groups() {
                @Override
                public CompletionStage<TopicFeeds.FlushResult> flush(
                        int group, Map<String, Long> upTo) {
                    return feeds.flush(pipeline, group, upTo);
                }

                @Override
                public void send(
                        int group,
                        String partition,
                        long after,
                        List<TopicFeeds.TopicRecord> records) {
                    feeds.apply(pipeline, group, partition, after, records);
                }

                @Override
                public CompletionStage<Done> setTimers(Map<Integer, Long> nextTimerByGroup) {
                    return feeds.setTimers(pipeline, nextTimerByGroup);
                }
            };
        }
    }

    /** One partition's interval waiting for its checkpoint. */
    private record Ask(
            String partition,
            Map<Integer, List<TopicFeeds.TopicRecord>> byGroup,
            CompletableFuture<Done> done) {}

    private final ActorSystem<?> system;
    private final Groups groups;
    private final String pipeline;
    private final Duration linger;
    private final int groupsInFlight;
    private final AtomicReference<String> error;
    // Journal writes that rounds start, bounded over rounds that overlap.
    private final InFlightLimit flushes;

    private final List<Ask> waiting = new ArrayList<>();
    // Partitions that applied records they have not asked a checkpoint for yet.
    private final Set<String> open = new HashSet<>();
    private boolean lingering;

    JointCheckpoints(
            ActorSystem<?> system,
            Groups groups,
            String pipeline,
            Duration linger,
            int groupsInFlight,
            AtomicReference<String> error) {
        this.system = system;
        this.groups = groups;
        this.pipeline = pipeline;
        this.linger = linger;
        this.groupsInFlight = groupsInFlight;
        this.error = error;
        this.flushes = new InFlightLimit(groupsInFlight);
    }

    /** {@code partition} sent its groups records that a later {@link #checkpoint} will cover. */
    synchronized void applied(String partition) {
        open.add(partition);
    }

    /** {@code partition} stopped (revoked or drained): no round waits for it any more. */
    void stopped(String partition) {
        boolean now;
        synchronized (this) {
            open.remove(partition);
            now = !waiting.isEmpty() && everyOpenPartitionAsked();
        }
        if (now) {
            runRound();
        }
    }

    /**
     * Checkpoints the records {@code byGroup} that {@code partition} sent since its last
     * checkpoint, with the other partitions asking together; completes once every group holding
     * them checkpointed and the groups' next timers are journalled, retrying until then.
     */
    CompletionStage<Done> checkpoint(
            String partition, Map<Integer, List<TopicFeeds.TopicRecord>> byGroup) {
        CompletableFuture<Done> done = new CompletableFuture<>();
        boolean now;
        synchronized (this) {
            waiting.add(new Ask(partition, byGroup, done));
            now = everyOpenPartitionAsked();
            if (!now && !lingering) {
                lingering = true;
                system.scheduler()
                        .scheduleOnce(
                                linger,
                                () -> {
                                    synchronized (this) {
                                        lingering = false;
                                    }
                                    runRound();
                                },
                                system.executionContext());
            }
        }
        if (now) {
            runRound();
        }
        return done;
    }

    private boolean everyOpenPartitionAsked() {
        Set<String> asked = new HashSet<>();
        waiting.forEach(a -> asked.add(a.partition()));
        return asked.containsAll(open);
    }

    /** Flushes every group of the waiting asks once, then journals their timers. */
    private void runRound() {
        List<Ask> asks;
        synchronized (this) {
            asks = List.copyOf(waiting);
            waiting.clear();
            // A partition that applied more records after its ask opens again with them.
            asks.forEach(a -> open.remove(a.partition()));
        }
        if (asks.isEmpty()) {
            return;
        }
        Map<Integer, Map<String, List<TopicFeeds.TopicRecord>>> byGroup = new HashMap<>();
        for (Ask a : asks) {
            a.byGroup()
                    .forEach(
                            (g, records) ->
                                    byGroup.computeIfAbsent(g, x -> new LinkedHashMap<>())
                                            .computeIfAbsent(a.partition(), p -> new ArrayList<>())
                                            .addAll(records));
        }
        Map<Integer, Long> timers = new ConcurrentHashMap<>();
        Source.from(List.copyOf(byGroup.entrySet()))
                .mapAsyncUnordered(
                        groupsInFlight,
                        e ->
                                Retrying.until(
                                                system,
                                                error,
                                                () ->
                                                        flushes.run(
                                                                () ->
                                                                        flushGroup(
                                                                                e.getKey(),
                                                                                e.getValue())))
                                        .thenApply(
                                                next -> {
                                                    if (next != Long.MAX_VALUE) {
                                                        timers.put(e.getKey(), next);
                                                    }
                                                    return next;
                                                }))
                .runWith(Sink.ignore(), system)
                .thenCompose(
                        flushed ->
                                timers.isEmpty()
                                        ? CompletableFuture.completedFuture(Done.done())
                                        : Retrying.until(
                                                system, error, () -> groups.setTimers(timers)))
                .whenComplete(
                        (ok, failure) ->
                                asks.forEach(
                                        a -> {
                                            if (failure != null) {
                                                a.done().completeExceptionally(failure);
                                            } else {
                                                a.done().complete(Done.done());
                                            }
                                        }));
    }

    /**
     * Asks key group {@code group} to checkpoint the records of every partition in {@code records};
     * if it lost some, sends them again and fails, so that the retry asks again. Completes with the
     * group's next timer.
     */
    private CompletionStage<Long> flushGroup(
            int group, Map<String, List<TopicFeeds.TopicRecord>> records) {
        Map<String, Long> upTo = new HashMap<>();
        records.forEach((p, r) -> upTo.put(p, r.get(r.size() - 1).offset()));
        return groups.flush(group, upTo)
                .thenCompose(
                        result -> {
                            if (result instanceof TopicFeeds.Flushed f) {
                                return CompletableFuture.completedFuture(f.nextTimer());
                            }
                            ((TopicFeeds.Behind) result)
                                    .appliedUpTo()
                                    .forEach(
                                            (partition, applied) ->
                                                    groups.send(
                                                            group,
                                                            partition,
                                                            applied,
                                                            records.get(partition).stream()
                                                                    .filter(
                                                                            r ->
                                                                                    r.offset()
                                                                                            > applied)
                                                                    .toList()));
                            return CompletableFuture.failedFuture(
                                    new IllegalStateException(
                                            "key group "
                                                    + group
                                                    + " of "
                                                    + pipeline
                                                    + " was behind"));
                        });
    }
}
