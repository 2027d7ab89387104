package io.virta.runtime.stream;

/**
 * An event that does not fit its stream's definition: no key, a key or time of the wrong type, and
 * so on.
 *
 * <p>{@link #field()} names the JSON pointer at fault, so a caller can tell the client what and
 * where.
 */
public final class InvalidEventException extends IllegalArgumentException {
    private final String field;

    public InvalidEventException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The JSON pointer of the field at fault, or {@code ""} for the event as a whole. */
    public String field() {
        return field;
    }
}
