package io.virta.runtime.operator;

/**
 * A keyed stateful step over two inputs, as pure functions, like {@link KeyedOperator}: the host
 * keeps one state per join key, routes each row of either input to its key with the side it comes
 * from, and calls {@link #onWatermark} once the watermark reaches {@link #nextTimer}. For an
 * interval join the watermark is the smaller of the two inputs' watermarks.
 *
 * @param <S> the immutable, serializable per-key state
 */
public interface KeyedJoinOperator<S> {

    /**
     * @return the state of a key never seen
     */
    S initialState();

    /**
     * @param state the key's current state
     * @param side which input the row comes from
     * @param row the row; {@code row.key()} is the join key
     * @param watermark the join's watermark after this row arrived
     * @return the new state, the joined rows to emit and the row if it was late
     */
    Transition<S> onRecord(S state, JoinSide side, Row row, long watermark);

    /**
     * Expires buffered rows the watermark has passed (emitting unmatched outer rows).
     *
     * @param state the key's current state
     * @param key the key
     * @param watermark the join's watermark
     * @return the new state and the rows to emit
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

    /**
     * @param side the side every row given to the view comes from
     * @return this operator as a one-input {@link KeyedOperator} for that side (same state)
     */
    default KeyedOperator<S> side(JoinSide side) {
        KeyedJoinOperator<S> self = this;
        return new KeyedOperator<>() {
            @Override
            public S initialState() {
                return self.initialState();
            }

            @Override
            public Transition<S> onRecord(S state, Row row, long watermark) {
                return self.onRecord(state, side, row, watermark);
            }

            @Override
            public Transition<S> onWatermark(S state, String key, long watermark) {
                return self.onWatermark(state, key, watermark);
            }

            @Override
            public long nextTimer(S state) {
                return self.nextTimer(state);
            }

            @Override
            public boolean isEmpty(S state) {
                return self.isEmpty(state);
            }
        };
    }
}
