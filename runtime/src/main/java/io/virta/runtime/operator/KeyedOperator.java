package io.virta.runtime.operator;

/**
 * A keyed stateful step as pure functions: {@code (state, record) -> (new state, outputs)} and
 * {@code (state, watermark) -> (new state, outputs)}. The host (the test driver, or a key's actor
 * in the cluster) owns one state value per key, persists it as it likes, and calls these functions
 * in order; operators never read a clock or keep state of their own, so the same inputs always give
 * the same outputs.
 *
 * <p>Timers: after every transition the host asks {@link #nextTimer(Object)} and calls {@link
 * #onWatermark} for that key once the stream's watermark reaches it. This is how a key that went
 * quiet still gets its windows closed by the stream's progress.
 *
 * @param <S> the immutable, serializable per-key state
 */
public interface KeyedOperator<S> {

    /**
     * @return the state of a key never seen
     */
    S initialState();

    /**
     * Folds one record into its key's state.
     *
     * @param state the key's current state
     * @param row the record; {@code row.key()} is the operator's key
     * @param watermark the stream's watermark after this record arrived
     * @return the new state, the rows to emit and the record if it was late
     */
    Transition<S> onRecord(S state, Row row, long watermark);

    /**
     * Advances a key's event time: closes windows whose end plus grace period is at or before the
     * watermark.
     *
     * @param state the key's current state
     * @param key the key
     * @param watermark the stream's watermark
     * @return the new state and the rows to emit (final results under EMIT FINAL)
     */
    Transition<S> onWatermark(S state, String key, long watermark);

    /**
     * @param state a key's state
     * @return the watermark at which {@link #onWatermark} has work to do, or {@link Long#MAX_VALUE}
     */
    long nextTimer(S state);

    /**
     * @param state a key's state
     * @return whether the state holds nothing, so the host may forget the key
     */
    boolean isEmpty(S state);
}
