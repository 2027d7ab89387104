package io.virta.connectors.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pulsar.client.api.Message;

/**
 * INTERNAL API: the poison messages among a batch of a Pulsar source's dead-letter-only
 * subscription ({@code history = 'topic'}): as the pipelines' consumers on this node found them
 * ({@link PoisonLedger}, positions from {@link PulsarPositions}), else parsed here. The Pulsar
 * counterpart of what {@link DeadLetterScan} does for Kafka, so the topic is parsed once per node
 * rather than twice.
 *
 * <p>The subscription is Failover over the whole topic, so a batch may hold several partitions;
 * each is looked up on its own. A partition counts as scanned here from its first message on until
 * {@link #close}: when Pulsar moves it to another node the ledger keeps what the consumers here
 * find until its per-partition bound, then forgets. Thread-safe.
 */
final class PulsarPoisonFinder {
    /** The poison messages of a batch, each with its reason, in the batch's order per partition. */
    record Found(List<Message<byte[]>> poison, List<String> reasons) {}

    private final PoisonLedger ledger;
    private final RecordIngest<Message<byte[]>> parser;
    private final Executor executor;
    private final Set<Integer> scanning = ConcurrentHashMap.newKeySet();

    /**
     * @param executor where a batch is parsed or picked once the ledger answers: the answer may
     *     come on a pipeline consumer's thread, inside the ledger's lock
     */
    PulsarPoisonFinder(
            PoisonLedger ledger, RecordIngest<Message<byte[]>> parser, Executor executor) {
        this.ledger = ledger;
        this.parser = parser;
        this.executor = executor;
    }

    /**
     * The poison messages of a batch read at {@code now}, given by partition ({@link
     * PulsarOptions#byPartition}).
     */
    CompletionStage<Found> find(Map<Integer, List<Message<byte[]>>> batch, long now) {
        List<CompletableFuture<Found>> each = new ArrayList<>();
        batch.forEach((p, records) -> each.add(find(p, records, now).toCompletableFuture()));
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(
                        v -> {
                            List<Message<byte[]>> poison = new ArrayList<>();
                            List<String> reasons = new ArrayList<>();
                            for (CompletableFuture<Found> f : each) {
                                poison.addAll(f.join().poison());
                                reasons.addAll(f.join().reasons());
                            }
                            return new Found(poison, reasons);
                        });
    }

    /** The poison of {@code batch}, by partition, is dead-lettered: the ledger may forget it. */
    void deadLettered(Map<Integer, List<Message<byte[]>>> batch) {
        batch.forEach(
                (p, records) ->
                        positions(records).ifPresent(range -> ledger.scannedUpTo(p, range[1])));
    }

    /** The subscription stopped: waiting batches parse themselves. */
    void close() {
        scanning.forEach(ledger::notScanning);
        scanning.clear();
    }

    private CompletionStage<Found> find(int partition, List<Message<byte[]>> records, long now) {
        Optional<long[]> range = positions(records);
        if (range.isEmpty()) {
            return CompletableFuture.supplyAsync(() -> parse(records, now), executor);
        }
        if (scanning.add(partition)) {
            ledger.scanning(partition);
        }
        return ledger.poison(partition, range.get()[0], range.get()[1])
                .thenApplyAsync(
                        known ->
                                known.map(k -> pick(records, k))
                                        .orElseGet(() -> parse(records, now)),
                        executor);
    }

    private Found parse(List<Message<byte[]>> records, long now) {
        RecordIngest.Parsed<Message<byte[]>> parsed = parser.parse(records, now);
        return new Found(parsed.poison(), parsed.reasons());
    }

    private static Found pick(List<Message<byte[]>> records, Map<Long, String> known) {
        List<Message<byte[]>> poison = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Message<byte[]> m : records) {
            String reason = known.get(PulsarPositions.of(m.getMessageId()));
            if (reason != null) {
                poison.add(m);
                reasons.add(reason);
            }
        }
        return new Found(poison, reasons);
    }

    /** The first and last positions of {@code records}; empty when one cannot be positioned. */
    private static Optional<long[]> positions(List<Message<byte[]>> records) {
        try {
            return Optional.of(
                    new long[] {
                        PulsarPositions.of(records.get(0).getMessageId()),
                        PulsarPositions.of(records.get(records.size() - 1).getMessageId())
                    });
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }
}
