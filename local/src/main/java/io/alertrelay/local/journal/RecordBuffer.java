package io.alertrelay.local.journal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** A byte buffer for journal records whose bytes can be written to a channel without a copy. */
public final class RecordBuffer extends ByteArrayOutputStream {

    public RecordBuffer() {
        super(256);
    }

    public RecordBuffer(int size) {
        super(size);
    }

    /** The backing array: valid up to {@link #size()}. */
    public byte[] array() {
        return buf;
    }

    /** The bytes written so far, as a buffer over the backing array. */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(buf, 0, count);
    }
}
