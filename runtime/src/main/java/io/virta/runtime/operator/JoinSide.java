package io.virta.runtime.operator;

/** Which input of a two-input operator a row comes from: the first (left) or second relation. */
public enum JoinSide {
    LEFT,
    RIGHT
}
