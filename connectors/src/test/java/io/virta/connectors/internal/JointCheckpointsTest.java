package io.virta.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.virta.actors.api.TopicFeeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rounds of {@link JointCheckpoints}, against key groups recorded in memory. */
class JointCheckpointsTest {
    private static ActorSystem<Void> system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "joint-checkpoints-test");
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    /** Groups that record every call; a group answers Behind once if told to. */
    private static final class RecordedGroups implements JointCheckpoints.Groups {
        final List<String> flushes = new CopyOnWriteArrayList<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<Map<Integer, Long>> timers = new CopyOnWriteArrayList<>();
        final Map<Integer, Map<String, Long>> behindOnce = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<TopicFeeds.FlushResult> flush(int group, Map<String, Long> upTo) {
            flushes.add(group + " " + new java.util.TreeMap<>(upTo));
            Map<String, Long> behind = behindOnce.remove(group);
            if (behind != null) {
                return CompletableFuture.completedFuture(new TopicFeeds.Behind(behind));
            }
            return CompletableFuture.completedFuture(new TopicFeeds.Flushed(1000L + group));
        }

        @Override
        public void send(
                int group, String partition, long after, List<TopicFeeds.TopicRecord> records) {
            sent.add(
                    group
                            + " "
                            + partition
                            + " after "
                            + after
                            + ": "
                            + records.stream().map(TopicFeeds.TopicRecord::offset).toList());
        }

        @Override
        public CompletionStage<Done> setTimers(Map<Integer, Long> nextTimerByGroup) {
            timers.add(new HashMap<>(nextTimerByGroup));
            return CompletableFuture.completedFuture(Done.done());
        }
    }

    private static JointCheckpoints checkpoints(RecordedGroups groups, Duration linger) {
        return new JointCheckpoints(system, groups, "counts", linger, 8, new AtomicReference<>(""));
    }

    private static Map<Integer, List<TopicFeeds.TopicRecord>> records(int group, long... offsets) {
        List<TopicFeeds.TopicRecord> list = new ArrayList<>();
        for (long offset : offsets) {
            list.add(new TopicFeeds.TopicRecord("k" + offset, offset, 0L, 0L, null));
        }
        return Map.of(group, list);
    }

    @Test
    void partitionsThatAskTogetherFlushEachGroupOnceForAllOfThem() {
        RecordedGroups groups = new RecordedGroups();
        JointCheckpoints checkpoints = checkpoints(groups, Duration.ofMinutes(1));
        checkpoints.applied("t/0");
        checkpoints.applied("t/1");

        CompletionStage<Done> first = checkpoints.checkpoint("t/0", records(7, 1, 2));
        assertThat(groups.flushes).isEmpty();
        assertThat(first.toCompletableFuture()).isNotDone();

        CompletionStage<Done> second = checkpoints.checkpoint("t/1", records(7, 5));
        await().atMost(Duration.ofSeconds(5)).until(() -> second.toCompletableFuture().isDone());
        assertThat(first.toCompletableFuture()).isCompletedWithValue(Done.done());
        assertThat(groups.flushes).containsExactly("7 {t/0=2, t/1=5}");
        assertThat(groups.timers).containsExactly(Map.of(7, 1007L));
    }

    @Test
    void aPartitionWithNothingAppliedIsNotWaitedFor() {
        RecordedGroups groups = new RecordedGroups();
        JointCheckpoints checkpoints = checkpoints(groups, Duration.ofMinutes(1));
        checkpoints.applied("t/0");

        CompletionStage<Done> only = checkpoints.checkpoint("t/0", records(3, 4));

        await().atMost(Duration.ofSeconds(5)).until(() -> only.toCompletableFuture().isDone());
        assertThat(groups.flushes).containsExactly("3 {t/0=4}");
    }

    @Test
    void aRoundRunsAfterTheLingerWhenAnOpenPartitionDoesNotAsk() {
        RecordedGroups groups = new RecordedGroups();
        JointCheckpoints checkpoints = checkpoints(groups, Duration.ofMillis(100));
        checkpoints.applied("t/0");
        checkpoints.applied("t/1");

        CompletionStage<Done> first = checkpoints.checkpoint("t/0", records(2, 9));

        await().atMost(Duration.ofSeconds(5)).until(() -> first.toCompletableFuture().isDone());
        assertThat(groups.flushes).containsExactly("2 {t/0=9}");
    }

    @Test
    void aStoppedPartitionReleasesTheRoundWaitingForIt() {
        RecordedGroups groups = new RecordedGroups();
        JointCheckpoints checkpoints = checkpoints(groups, Duration.ofMinutes(1));
        checkpoints.applied("t/0");
        checkpoints.applied("t/1");
        CompletionStage<Done> first = checkpoints.checkpoint("t/0", records(2, 9));
        assertThat(first.toCompletableFuture()).isNotDone();

        checkpoints.stopped("t/1");

        await().atMost(Duration.ofSeconds(5)).until(() -> first.toCompletableFuture().isDone());
        assertThat(groups.flushes).containsExactly("2 {t/0=9}");
    }

    @Test
    void aGroupBehindIsSentWhatItLacksOfThatPartitionAndFlushedAgain() {
        RecordedGroups groups = new RecordedGroups();
        groups.behindOnce.put(5, Map.of("t/1", 11L));
        JointCheckpoints checkpoints = checkpoints(groups, Duration.ofMinutes(1));
        checkpoints.applied("t/0");
        checkpoints.applied("t/1");
        CompletionStage<Done> first = checkpoints.checkpoint("t/0", records(5, 1, 2));
        CompletionStage<Done> second = checkpoints.checkpoint("t/1", records(5, 10, 11, 12, 13));

        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                first.toCompletableFuture().isDone()
                                        && second.toCompletableFuture().isDone());
        assertThat(groups.sent).containsExactly("5 t/1 after 11: [12, 13]");
        assertThat(groups.flushes).containsExactly("5 {t/0=2, t/1=13}", "5 {t/0=2, t/1=13}");
        assertThat(first.toCompletableFuture()).isCompletedWithValue(Done.done());
    }
}
