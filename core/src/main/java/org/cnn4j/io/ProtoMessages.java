package org.cnn4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.google.protobuf.CodedOutputStream;

/** Encodes one protobuf message to bytes with {@link CodedOutputStream} (TensorBoard events, ONNX models). */
public final class ProtoMessages {
    private ProtoMessages() {
    }

    /** Writes a message's fields. */
    @FunctionalInterface
    public interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    public static byte[] encode(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }
}
