package io.alertrelay.local.servicebus;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Service Bus delivery tags are lock tokens written as a .NET Guid: the first three groups little-endian. The SDK
 * turns the tag back into the lock token it shows and settles with, so the byte order has to match.
 */
final class LockTokens {
    private LockTokens() {
    }

    static byte[] toDeliveryTag(UUID lockToken) {
        byte[] b = ByteBuffer.allocate(16)
                .putLong(lockToken.getMostSignificantBits())
                .putLong(lockToken.getLeastSignificantBits())
                .array();
        return new byte[] {
            b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6],
            b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
        };
    }
}
