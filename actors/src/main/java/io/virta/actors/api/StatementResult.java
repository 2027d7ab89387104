package io.virta.actors.api;

/**
 * What one SQL statement of a submitted script did.
 *
 * @param statement the statement's text
 * @param status {@code CREATED}, {@code EXISTS} (an identical statement made it before; nothing
 *     changed), {@code INSERTED} (an INSERT stored its row), {@code DROPPED}, {@code FAILED}, or
 *     {@code SKIPPED} (an earlier statement of the script failed)
 * @param kind what it makes: {@code STREAM}, {@code TABLE}, {@code EVENT_STORE} or {@code
 *     PIPELINE}, or {@code INSERT}; empty when unknown
 * @param name the name of what it makes; empty when unknown
 * @param detail what it made, or why it failed
 * @param line 1-based line of a failure within {@code statement}, 0 when the failure has no
 *     position
 * @param column 1-based column of a failure within {@code statement}, 0 when none
 */
public record StatementResult(
        String statement,
        String status,
        String kind,
        String name,
        String detail,
        int line,
        int column) {

    /** True unless the statement failed or was skipped. */
    public boolean succeeded() {
        return status.equals("CREATED")
                || status.equals("EXISTS")
                || status.equals("INSERTED")
                || status.equals("DROPPED");
    }
}
