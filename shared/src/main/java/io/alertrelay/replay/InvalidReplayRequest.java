package io.alertrelay.replay;

/** A replay request that cannot be run, naming the field at fault: a 400 problem+json. */
public final class InvalidReplayRequest extends RuntimeException {

    private final String field;

    public InvalidReplayRequest(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
