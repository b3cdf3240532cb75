package org.cnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Names;
import org.cnn4j.tensor.Shape;

/**
 * The parsed and validated header of a safetensors file: each tensor's dtype, shape and byte range (relative to
 * the data buffer that follows the header), plus the {@code __metadata__} string map. Validation follows the
 * reference implementation: the ranges must tile the data buffer exactly, in order, with no gap or overlap.
 */
public final class SafetensorsHeader {
    /** Headers larger than this are refused as absurd (the reference implementation uses the same limit). */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    static final String METADATA_KEY = "__metadata__";

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** One tensor's header entry; {@code begin} and {@code end} are offsets into the data buffer. */
    public record Entry(String name, DType dtype, Shape shape, long begin, long end) {
        public long byteLength() {
            return end - begin;
        }
    }

    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private final long dataStart;
    private final long dataLength;

    private SafetensorsHeader(Map<String, Entry> entries, Map<String, String> metadata, long dataStart,
                              long dataLength) {
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.dataStart = dataStart;
        this.dataLength = dataLength;
    }

    /** The tensors in file order (by data offset). */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** The {@code __metadata__} map (empty when the file has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Absolute file offset of the data buffer (8 + header length). */
    public long dataStart() {
        return dataStart;
    }

    /** Size in bytes of the data buffer. */
    public long dataLength() {
        return dataLength;
    }

    /** Reads and validates the header from an open channel; allocates nothing before checking lengths. */
    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw error(file, "file is " + fileSize + " bytes; expected at least 8 (the header length)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 0 || headerLength > fileSize - 8) {
            throw error(file, "header length " + Long.toUnsignedString(headerLength)
                    + " is larger than the file allows (file is " + fileSize + " bytes, so at most "
                    + (fileSize - 8) + ")");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw error(file, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES
                    + " bytes");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, headerBytes, 8);
        JsonNode root;
        try {
            root = JSON.readTree(headerBytes.array());
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw error(file, "header must be a JSON object, found nothing (an empty header)");
        }
        if (!root.isObject()) {
            throw error(file, "header must be a JSON object, found "
                    + root.getNodeType().toString().toLowerCase());
        }
        long dataStart = 8 + headerLength;
        long dataLength = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                parseMetadata(file, field.getValue(), metadata);
            } else {
                Entry e = parseEntry(file, field.getKey(), field.getValue());
                if (e.end() > dataLength) {
                    throw error(file, "tensor '" + e.name() + "': data_offsets [" + e.begin() + ", " + e.end()
                            + "] lie outside the data buffer of " + dataLength + " bytes");
                }
                list.add(e);
            }
        }
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Map<String, Entry> entries = new LinkedHashMap<>();
        Entry previous = null;
        long covered = 0;
        for (Entry e : list) {
            if (e.begin() < covered) {
                throw error(file, "tensor '" + e.name() + "': data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end()
                        + "]");
            }
            if (e.begin() > covered) {
                throw error(file, "tensor '" + e.name() + "': data starts at byte " + e.begin() + " but the "
                        + (previous == null ? "data buffer starts at 0" : "previous tensor '" + previous.name()
                        + "' ends at " + covered) + "; expected contiguous ranges with no gap");
            }
            covered = e.end();
            previous = e;
            entries.put(e.name(), e);
        }
        if (covered != dataLength) {
            throw error(file, "tensors cover " + covered + " bytes of the " + dataLength
                    + "-byte data buffer; expected them to cover it exactly (trailing bytes)");
        }
        return new SafetensorsHeader(entries, metadata, dataStart, dataLength);
    }

    private static void parseMetadata(Path file, JsonNode node, Map<String, String> out) throws IOException {
        if (!node.isObject()) {
            throw error(file, METADATA_KEY + " must be an object of strings, found " + describe(node));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw error(file, METADATA_KEY + " value for '" + field.getKey() + "' must be a string, found "
                        + describe(field.getValue()));
            }
            out.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static Entry parseEntry(Path file, String name, JsonNode node) throws IOException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw error(file, where + ": expected an object with dtype, shape and data_offsets, found "
                    + describe(node));
        }
        JsonNode dtypeNode = require(file, where, node, "dtype");
        if (!dtypeNode.isTextual()) {
            throw error(file, where + ": dtype must be a string, found " + describe(dtypeNode));
        }
        DType dtype = dtypeOf(file, where, dtypeNode.textValue());

        JsonNode shapeNode = require(file, where, node, "shape");
        if (!shapeNode.isArray()) {
            throw error(file, where + ": shape must be an array of integers, found " + describe(shapeNode));
        }
        int[] dims = new int[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            long d = nonNegativeLong(file, where, "shape", shapeNode.get(i));
            if (d > Integer.MAX_VALUE) {
                throw error(file, where + ": shape dimension " + d + " exceeds " + Integer.MAX_VALUE);
            }
            dims[i] = (int) d;
        }
        Shape shape = Shape.of(dims);

        JsonNode offsets = require(file, where, node, "data_offsets");
        if (!offsets.isArray() || offsets.size() != 2) {
            throw error(file, where + ": data_offsets must be an array [begin, end], found " + describe(offsets));
        }
        long begin = nonNegativeLong(file, where, "data_offsets", offsets.get(0));
        long end = nonNegativeLong(file, where, "data_offsets", offsets.get(1));
        if (begin > end) {
            throw error(file, where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long numel = exactNumel(dims);
        long expectedBytes = numel < 0 || numel > Long.MAX_VALUE / dtype.byteSize() ? -1 : numel * dtype.byteSize();
        if (expectedBytes < 0) {
            throw error(file, where + ": shape " + shape + " has too many elements (overflows a 64-bit count)");
        }
        if (expectedBytes != end - begin) {
            throw error(file, where + ": shape " + shape + " of " + dtype.safetensorsName() + " needs "
                    + expectedBytes + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** The element count, or -1 if it overflows a long (Shape.numel() would silently wrap on hostile shapes). */
    private static long exactNumel(int[] dims) {
        for (int d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : dims) {
            if (n > Long.MAX_VALUE / d) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    private static DType dtypeOf(Path file, String where, String name) throws IOException {
        try {
            return DType.fromSafetensorsName(name);
        } catch (IllegalArgumentException e) {
            throw error(file, where + ": unsupported dtype '" + name + "'; supported: F32, F16, BF16, F64, I64, I32, U8");
        }
    }

    private static JsonNode require(Path file, String where, JsonNode node, String key) throws IOException {
        JsonNode value = node.get(key);
        if (value == null) {
            throw error(file, where + ": missing key '" + key + "'");
        }
        return value;
    }

    private static long nonNegativeLong(Path file, String where, String key, JsonNode n) throws IOException {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw error(file, where + ": " + key + " must hold integers up to 2^63-1, found " + describe(n));
        }
        long v = n.longValue();
        if (v < 0) {
            throw error(file, where + ": " + key + " must be non-negative, found " + v);
        }
        return v;
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    static void readFully(Path file, FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw error(file, "file ended at byte " + pos + " while reading " + dst.remaining()
                        + " more bytes (truncated?)");
            }
            pos += n;
        }
    }

    /** Messages quote names from the file: escaped and cut, so a hostile name cannot flood or drive a terminal. */
    static SafetensorsFormatException error(Path file, String message) {
        return new SafetensorsFormatException(Names.clean(file + ": " + message, 2000));
    }
}
