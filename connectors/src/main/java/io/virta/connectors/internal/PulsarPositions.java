package io.virta.connectors.internal;

import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;

/**
 * INTERNAL API: a Pulsar message's place in its topic partition as one rising number, the position
 * key groups checkpoint ({@link io.virta.actors.api.TopicFeeds}) as they do a Kafka offset.
 *
 * <p>Within a partition Pulsar orders messages by (ledger, entry, batch index); the number packs
 * them in that order: the ledger id in 31 bits, the entry id in 20 bits and the batch index plus
 * one in 12 (0 for a message sent without batching). That covers ledger ids below 2^31, entries per
 * ledger below 2^20 (Pulsar rolls ledgers over at 50,000 entries by default, {@code
 * managedLedgerMaxEntriesPerLedger}) and batches of up to 4,095 messages (producers batch at most
 * 1,000 by default). A message beyond them cannot be positioned: {@link #of} refuses it, and the
 * connector fails with the reason rather than misorder records.
 */
final class PulsarPositions {
    static final long MAX_LEDGER = (1L << 31) - 1;
    static final long MAX_ENTRY = (1L << 20) - 1;
    static final int MAX_BATCH_INDEX = (1 << 12) - 2;

    private PulsarPositions() {}

    /**
     * The position of {@code id}.
     *
     * @throws IllegalStateException when the id lies beyond what the number holds
     */
    static long of(MessageId id) {
        if (!(id instanceof MessageIdAdv adv)) {
            throw new IllegalStateException("message id " + id + " carries no ledger and entry");
        }
        return of(adv.getLedgerId(), adv.getEntryId(), adv.getBatchIndex());
    }

    /**
     * The position of entry {@code entry} of ledger {@code ledger}, batch index {@code batchIndex}
     * (-1: not batched).
     *
     * @throws IllegalStateException when one lies beyond what the number holds
     */
    static long of(long ledger, long entry, int batchIndex) {
        if (ledger < 0
                || ledger > MAX_LEDGER
                || entry < 0
                || entry > MAX_ENTRY
                || batchIndex < -1
                || batchIndex > MAX_BATCH_INDEX) {
            throw new IllegalStateException(
                    "Pulsar message id %d:%d:%d is beyond what history = 'topic' can position"
                                    .formatted(ledger, entry, batchIndex)
                            + " (ledger id up to %d, entry up to %d, batch index up to %d):"
                                    .formatted(MAX_LEDGER, MAX_ENTRY, MAX_BATCH_INDEX)
                            + " declare the connector with 'history' = 'cassandra'");
        }
        return (ledger << 32) | (entry << 12) | (batchIndex + 1);
    }

    /**
     * Whether {@code next} is the message right after {@code previous} in their partition: the next
     * index of the same batch, or the first message of the next entry of the same ledger once
     * {@code previous} ended its batch. False in every case it cannot tell (a new ledger, ids
     * without ledger and entry), so a reader that trusts it never takes a gap for a run.
     */
    static boolean follows(MessageId previous, MessageId next) {
        if (!(previous instanceof MessageIdAdv p) || !(next instanceof MessageIdAdv n)) {
            return false;
        }
        if (p.getLedgerId() != n.getLedgerId()) {
            return false;
        }
        if (p.getEntryId() == n.getEntryId()) {
            return p.getBatchIndex() >= 0 && n.getBatchIndex() == p.getBatchIndex() + 1;
        }
        boolean previousEndedItsEntry =
                p.getBatchIndex() < 0 || p.getBatchIndex() == p.getBatchSize() - 1;
        return n.getEntryId() == p.getEntryId() + 1
                && n.getBatchIndex() <= 0
                && previousEndedItsEntry;
    }

    /** The distance in positions of {@code entries} entries of one ledger. */
    static long entries(long entries) {
        return Math.min(entries, MAX_ENTRY + 1) << 12;
    }
}
