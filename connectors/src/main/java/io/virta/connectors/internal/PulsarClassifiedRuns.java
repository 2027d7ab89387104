package io.virta.connectors.internal;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;

/**
 * INTERNAL API: one partition's reading by a pipeline's Pulsar consumer as the {@link PoisonLedger}
 * knows it: runs of messages with nothing between them, each a consumer of its own to the ledger.
 * Pulsar delivers a partition in order, but after a failover or a redelivery the next message need
 * not follow the last ({@link PulsarPositions#follows}); a new run starts there, so the ledger
 * never takes a gap for messages classified. Used by the partition's stream only: not thread-safe.
 */
final class PulsarClassifiedRuns {
    private final PoisonLedger ledger;
    private final String name;
    private final int partition;
    private final AtomicLong runs;
    private String run;
    private MessageId last;

    /**
     * @param name names the reading's runs, unique among the ledger's consumers with {@code runs}
     * @param runs numbers the runs of every reading under {@code name}
     */
    PulsarClassifiedRuns(PoisonLedger ledger, String name, int partition, AtomicLong runs) {
        this.ledger = ledger;
        this.name = name;
        this.partition = partition;
        this.runs = runs;
        this.run = nextRun();
    }

    /** Tells the ledger what {@code records}, the next read, hold of poison, run by run. */
    void classified(List<Message<byte[]>> records, RecordIngest.Parsed<Message<byte[]>> parsed) {
        NavigableMap<Long, String> poison = new TreeMap<>();
        for (int i = 0; i < parsed.poison().size(); i++) {
            poison.put(
                    PulsarPositions.of(parsed.poison().get(i).getMessageId()),
                    parsed.reasons().get(i));
        }
        int start = 0;
        for (int i = 0; i < records.size(); i++) {
            MessageId id = records.get(i).getMessageId();
            if (last != null && !PulsarPositions.follows(last, id)) {
                classified(records.subList(start, i), poison);
                released();
                run = nextRun();
                start = i;
            }
            last = id;
        }
        classified(records.subList(start, records.size()), poison);
    }

    /** The reading ended: the ledger stops counting on its run. */
    void released() {
        ledger.released(run, partition);
    }

    private void classified(List<Message<byte[]>> records, NavigableMap<Long, String> poison) {
        if (records.isEmpty()) {
            return;
        }
        long from = PulsarPositions.of(records.get(0).getMessageId());
        long to = PulsarPositions.of(records.get(records.size() - 1).getMessageId());
        ledger.classified(run, partition, from, to, poison.subMap(from, true, to, true));
    }

    private String nextRun() {
        return name + "/" + partition + "#" + runs.incrementAndGet();
    }
}
