package io.virta.actors.internal;

import io.virta.actors.internal.PipelineRows.Output;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * INTERNAL API: delivers a pipeline entity's outbox to its {@link OutputTarget}, one batch at a
 * time (the first outputs that go to the same key), and tells the entity how each batch went, as a
 * command, so that it journals what was stored. Not thread-safe: used from the entity's own message
 * handling only.
 *
 * @param <C> the entity's command type
 */
final class OutboxDelivery<C> {
    private static final int BATCH = 100;
    private static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(1);

    private final ActorContext<C> context;
    private final OutputTarget target;
    private final String producer;
    private final LongFunction<C> stored;
    private final Function<String, C> failed;
    private final int maxOutputs;
    private final int parallelism;
    private final List<Runnable> afterDelivery = new java.util.ArrayList<>();
    private boolean delivering;

    /**
     * @param producer the id the outputs are numbered under (the entity id)
     * @param stored the command that says outputs up to a number are stored
     * @param failed the command that says a delivery failed, with why
     */
    OutboxDelivery(
            ActorContext<C> context,
            OutputTarget target,
            String producer,
            LongFunction<C> stored,
            Function<String, C> failed) {
        this(context, target, producer, stored, failed, BATCH, 1);
    }

    /**
     * A delivery that writes the first {@code maxOutputs} outputs of the outbox at once ({@link
     * OutputTarget#writeWave}: by default each key's in one write and up to {@code parallelism}
     * keys at the same time), for an entity whose outbox holds the outputs of many keys ({@link
     * TopicKeyGroupEntity}). The outbox is settled up to the last of them only once every key's
     * write succeeded; after a failure they are all written again, and the keys that had stored
     * theirs recognise them by their ids.
     */
    OutboxDelivery(
            ActorContext<C> context,
            OutputTarget target,
            String producer,
            LongFunction<C> stored,
            Function<String, C> failed,
            int maxOutputs,
            int parallelism) {
        this.context = context;
        this.target = target;
        this.producer = producer;
        this.stored = stored;
        this.failed = failed;
        this.maxOutputs = maxOutputs;
        this.parallelism = parallelism;
    }

    /**
     * {@code outbox} with {@code more} made after it, in order (a journaled state's next outbox).
     */
    static List<Output> appended(List<Output> outbox, List<Output> more) {
        if (more.isEmpty()) {
            return outbox;
        }
        List<Output> next = new java.util.ArrayList<>(outbox);
        next.addAll(more);
        return next;
    }

    /** {@code outbox} without the outputs stored up to number {@code upTo}. */
    static List<Output> after(List<Output> outbox, long upTo) {
        return outbox.stream().filter(o -> o.number() > upTo).toList();
    }

    /** Sends the next batch of {@code outbox}, unless one is on its way or there is none. */
    void deliver(List<Output> outbox) {
        if (delivering || outbox.isEmpty()) {
            return;
        }
        delivering = true;
        if (parallelism == 1) {
            List<Output> batch = OutputTarget.nextBatch(outbox, maxOutputs);
            long upTo = batch.get(batch.size() - 1).number();
            context.pipeToSelf(
                    target.write(batch.get(0).key(), producer, batch),
                    (ok, failure) ->
                            failure != null
                                    ? failed.apply(failure.toString())
                                    : stored.apply(upTo));
            return;
        }
        List<Output> wave = outbox.subList(0, Math.min(maxOutputs, outbox.size()));
        long upTo = wave.get(wave.size() - 1).number();
        context.pipeToSelf(
                target.writeWave(producer, List.copyOf(wave), parallelism, context.getSystem()),
                (ok, failure) ->
                        failure != null ? failed.apply(failure.toString()) : stored.apply(upTo));
    }

    /** The batch on its way was stored: the next one may go. */
    void settled() {
        delivering = false;
    }

    /**
     * The batch on its way failed: it stays in the outbox, and {@code retry} reaches the entity in
     * a second so that it delivers again.
     */
    void failed(String reason, C retry) {
        delivering = false;
        context.getLog().warn("Storing outputs of {} failed, retrying: {}", producer, reason);
        context.scheduleOnce(RETRY_AFTER, context.getSelf(), retry);
    }

    /**
     * Runs {@code then} once {@code outbox} (the entity's current one) is stored, at once when it
     * is empty; otherwise when {@link #runIfDelivered} next finds it empty.
     */
    void whenDelivered(List<Output> outbox, Runnable then) {
        afterDelivery.add(then);
        runIfDelivered(outbox);
    }

    /** Runs what waits for the outbox to be stored, if {@code outbox} is empty. */
    void runIfDelivered(List<Output> outbox) {
        if (outbox.isEmpty()) {
            List<Runnable> due = List.copyOf(afterDelivery);
            afterDelivery.clear();
            due.forEach(Runnable::run);
        }
    }
}
