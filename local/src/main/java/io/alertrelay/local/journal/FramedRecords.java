package io.alertrelay.local.journal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framing of the local runtime's journals (the emulator's messages, the store's writes): each record as its
 * length, its CRC-32 and its bytes. A process killed in the middle of a write leaves a record cut short at the end of
 * the file; {@link #read} tells it from the records written whole, applies those and ignores the rest.
 */
public final class FramedRecords {
    private static final Logger LOG = LoggerFactory.getLogger(FramedRecords.class);
    private static final int HEADER_BYTES = 8;
    /**
     * Larger than any record either journal writes (a message or an event is at most 256 KiB by default): a length
     * beyond it is a header cut short, not a record.
     */
    private static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    private FramedRecords() {
    }

    /** What {@link #read} hands each whole record to. */
    @FunctionalInterface
    public interface Reader {
        void read(DataInputStream record) throws IOException;
    }

    /** Appends the frame of {@code payload[0, length)} to {@code out}. */
    public static void frame(byte[] payload, int length, ByteArrayOutputStream out) {
        writeInt(out, length);
        writeInt(out, (int) crc32(payload, 0, length));
        out.write(payload, 0, length);
    }

    /** The bytes {@link #frame} appends for a payload of {@code length} bytes. */
    public static int framedLength(int length) {
        return HEADER_BYTES + length;
    }

    /**
     * Hands each whole record of {@code file} to {@code reader}, in order, and stops at the first one cut short (with
     * a warning).
     *
     * @return the number of records read
     */
    public static int read(Path file, Reader reader) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer records = ByteBuffer.wrap(bytes);
        int count = 0;
        while (records.remaining() >= HEADER_BYTES) {
            int start = records.position();
            int length = records.getInt();
            long crc = Integer.toUnsignedLong(records.getInt());
            if (length < 1 || length > MAX_RECORD_BYTES || length > records.remaining()
                    || crc32(bytes, start + HEADER_BYTES, length) != crc) {
                records.position(start);
                break;
            }
            try {
                reader.read(new DataInputStream(new ByteArrayInputStream(bytes, start + HEADER_BYTES, length)));
            } catch (IOException e) {
                throw new IOException("Could not read the record at byte " + start + " of " + file, e);
            }
            records.position(start + HEADER_BYTES + length);
            count++;
        }
        if (records.hasRemaining()) {
            LOG.warn("Ignored the last {} bytes of {}: a record cut short when the process ended",
                    records.remaining(), file);
        }
        return count;
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static long crc32(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
