package org.cnn4j.io.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: each record is its length (uint64 little-endian),
 * the masked CRC-32C of those 8 bytes (uint32 LE), the data, and the masked CRC-32C of the data (uint32 LE).
 */
public final class TfRecords {
    /** Added after rotating the CRC, so that a CRC of data holding CRCs does not look like one. */
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {
    }

    /** TFRecord's masked CRC-32C of {@code len} bytes of {@code data} from {@code offset}. */
    public static int maskedCrc32c(byte[] data, int offset, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** Writes one framed record. */
    public static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(maskedCrc32c(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc32c(data, 0, data.length));
        out.write(header.array());
        out.write(data);
        out.write(footer.array());
    }
}
