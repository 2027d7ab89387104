package io.virta.runtime.join;

/** Which rows a join emits besides the matched pairs. */
public enum JoinType {
    /** Only matched pairs. */
    INNER,
    /** Matched pairs, and every left row that found no match, with the right side NULL. */
    LEFT,
    /** Matched pairs, and every row of either side that found no match, the other side NULL. */
    FULL
}
