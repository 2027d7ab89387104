package io.virta.connectors.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL API: what the pipeline consumers of one connector on this node found poison, so that the
 * connector's {@link DeadLetterScan} (or {@link PulsarPoisonFinder}) need not parse the topic a
 * second time. Offsets are Kafka's, or for Pulsar {@link PulsarPositions}: rising, not contiguous.
 *
 * <p>Each pipeline consumer reads a partition in order from where it started, so what it has
 * classified is one interval per partition: from its first offset to the last it parsed. The scan
 * asks for the poison records of a batch it read: when a consumer's interval covers the batch, it
 * gets them from here; when a consumer here is a little behind the batch, it waits for it;
 * otherwise (no pipeline reads the partition on this node, all are past the batch or far behind it,
 * or the wait is too long) it parses the batch itself. Poison records are kept only for partitions
 * the scan reads on this node, and only until the scan is past them.
 *
 * <p>Whoever classifies a record, the outcome is the same: the scan and the consumers parse with
 * the same settings of the same connector. Thread-safe.
 */
final class PoisonLedger {
    /** Records kept per partition at most; past it the ledger forgets and the scan parses. */
    static final int MAX_POISON_PER_PARTITION = 10_000;

    /** One consumer's classified interval of a partition. */
    private record Interval(long from, long to) {}

    /** A scan's batch waiting for a consumer to classify it. */
    private record Waiter(
            long from, long to, CompletableFuture<Optional<Map<Long, String>>> done) {}

    /** What is known of one partition the scan reads here. */
    private static final class Partition {
        // Readings of the partition by the scan: a reassignment may start before the last ends.
        int scans;
        final Map<String, Interval> consumers = new HashMap<>();
        final NavigableMap<Long, String> poison = new TreeMap<>();
        final List<Waiter> waiters = new ArrayList<>();
    }

    private final long followWithin;
    private final Duration maxWait;
    private final Map<Integer, Partition> scanned = new HashMap<>();

    /**
     * @param followWithin how far (in offsets) a consumer may be behind a scan's batch for the scan
     *     to wait for it; one further behind, backfilling an old pipeline say, is not waited for
     * @param maxWait how long a scan's batch waits for a consumer before the scan parses it itself
     */
    PoisonLedger(long followWithin, Duration maxWait) {
        this.followWithin = followWithin;
        this.maxWait = maxWait;
    }

    /** The scan reads {@code partition} on this node from now on (once per reading of it). */
    synchronized void scanning(int partition) {
        scanned.computeIfAbsent(partition, n -> new Partition()).scans++;
    }

    /**
     * A reading of {@code partition} by the scan ended; when none is left, its waiting batches
     * parse themselves.
     */
    synchronized void notScanning(int partition) {
        Partition p = scanned.get(partition);
        if (p != null && --p.scans == 0) {
            scanned.remove(partition);
            p.waiters.forEach(w -> w.done().complete(Optional.empty()));
        }
    }

    /**
     * Consumer {@code consumer} parsed offsets {@code from} to {@code to} of {@code partition}, the
     * next after what it parsed before (or its first), and found {@code poison} (offset to reason)
     * among them. A consumer is one reading of one partition: it reads every record from its first
     * on, so what it classified stays one interval; a new assignment of the partition is a new
     * consumer.
     */
    synchronized void classified(
            String consumer, int partition, long from, long to, Map<Long, String> poison) {
        Partition p = scanned.get(partition);
        if (p == null) {
            return;
        }
        if (p.poison.size() + poison.size() > MAX_POISON_PER_PARTITION) {
            // Forget, rather than grow: every consumer starts a new interval with its next batch.
            p.consumers.clear();
            p.poison.clear();
            settle(p);
            return;
        }
        Interval before = p.consumers.get(consumer);
        p.consumers.put(consumer, new Interval(before == null ? from : before.from(), to));
        p.poison.putAll(poison);
        settle(p);
    }

    /** Consumer {@code consumer} stopped reading {@code partition} here. */
    synchronized void released(String consumer, int partition) {
        Partition p = scanned.get(partition);
        if (p != null && p.consumers.remove(consumer) != null) {
            settle(p);
        }
    }

    /**
     * The poison records among offsets {@code from} to {@code to} of {@code partition}, offset to
     * reason, once a consumer here classified them; empty when the scan must parse them itself.
     */
    synchronized CompletionStage<Optional<Map<Long, String>>> poison(
            int partition, long from, long to) {
        Partition p = scanned.get(partition);
        if (p == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Waiter w = new Waiter(from, to, new CompletableFuture<>());
        if (!answer(p, w)) {
            p.waiters.add(w);
            w.done().completeOnTimeout(Optional.empty(), maxWait.toMillis(), TimeUnit.MILLISECONDS);
        }
        return w.done();
    }

    /** The scan dead-lettered {@code partition} up to {@code to}: what is before is forgotten. */
    synchronized void scannedUpTo(int partition, long to) {
        Partition p = scanned.get(partition);
        if (p != null) {
            p.poison.headMap(to, true).clear();
        }
    }

    /** Answers every waiter of {@code p} that can be answered now. */
    private void settle(Partition p) {
        for (Iterator<Waiter> i = p.waiters.iterator(); i.hasNext(); ) {
            Waiter w = i.next();
            if (w.done().isDone() || answer(p, w)) {
                i.remove();
            }
        }
    }

    /**
     * Completes {@code w} when a consumer covers it (with its poison) or none will (empty); false
     * when a consumer is still before it.
     */
    private boolean answer(Partition p, Waiter w) {
        boolean coming = false;
        for (Interval i : p.consumers.values()) {
            if (i.from() <= w.from() && i.to() >= w.to()) {
                w.done()
                        .complete(
                                Optional.of(
                                        Map.copyOf(p.poison.subMap(w.from(), true, w.to(), true))));
                return true;
            }
            coming |= i.from() <= w.from() && w.from() - i.to() <= followWithin;
        }
        if (!coming) {
            w.done().complete(Optional.empty());
        }
        return !coming;
    }
}
