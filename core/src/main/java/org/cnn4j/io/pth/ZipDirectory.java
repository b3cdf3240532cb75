package org.cnn4j.io.pth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip file, read from its central directory by this class rather than {@link java.util.zip}
 * (which trusts declared sizes and accepts duplicate names). Everything a hostile file could lie about is checked
 * before data is read: each entry's local header repeats its central name and method, every entry lies inside
 * the file and none overlaps another (the overlapping-entry zip bomb), names are unique relative paths, stored
 * entries declare equal sizes, and a deflated entry declares no more than deflate's maximum ratio. Reading an
 * entry checks its actual size and CRC-32 against the declaration; inflated output grows with what is really
 * produced, never with what is declared.
 */
final class ZipDirectory {
    static final int STORED = 0;
    static final int DEFLATED = 8;
    /** Deflate cannot expand more than 1032:1 (a 258-byte match costs at least 2 bits); more is a lie. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** Total inflated bytes of one file's deflated entries (torch itself never deflates; this is for re-zipped files). */
    static final long MAX_TOTAL_INFLATED = 16L << 30;
    static final int MAX_ENTRIES = 1 << 20;
    static final long MAX_CENTRAL_DIRECTORY = 256L << 20;
    static final int MAX_NAME_BYTES = 1024;

    private static final int EOCD_SIG = 0x06054b50;
    private static final int EOCD64_SIG = 0x06064b50;
    private static final int EOCD64_LOCATOR_SIG = 0x07064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;

    /** One file in the archive; {@code dataStart} is where its (compressed) bytes begin. */
    record Entry(String name, int method, long crc, long compressedSize, long size, long localOffset,
                 long dataStart) {
    }

    private final FileChannel channel;
    private final Map<String, Entry> entries;

    private ZipDirectory(FileChannel channel, Map<String, Entry> entries) {
        this.channel = channel;
        this.entries = entries;
    }

    /** Entries by name, directories left out, in central-directory order. */
    Map<String, Entry> entries() {
        return entries;
    }

    static ZipDirectory read(FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 22) {
            throw new PthFormatException("zip file of " + fileSize + " bytes is too short to be complete");
        }
        int tailLength = (int) Math.min(fileSize, 22 + 0xffff);
        ByteBuffer tail = read(channel, fileSize - tailLength, tailLength);
        int eocd = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIG && (tail.getShort(i + 20) & 0xffff) == tailLength - i - 22) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new PthFormatException("no zip end-of-central-directory record at the end of the file"
                    + " (truncated, or not a complete zip)");
        }
        long eocdPosition = fileSize - tailLength + eocd;
        int disk = tail.getShort(eocd + 4) & 0xffff;
        int cdDisk = tail.getShort(eocd + 6) & 0xffff;
        long count = tail.getShort(eocd + 10) & 0xffff;
        long cdSize = tail.getInt(eocd + 12) & 0xffffffffL;
        long cdOffset = tail.getInt(eocd + 16) & 0xffffffffL;
        long cdLimit = eocdPosition;
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            long[] zip64 = readZip64End(channel, eocdPosition);
            disk = (int) zip64[0];
            cdDisk = (int) zip64[1];
            count = zip64[2];
            cdSize = zip64[3];
            cdOffset = zip64[4];
            cdLimit = zip64[5];
        }
        if (disk != 0 || cdDisk != 0) {
            throw new PthFormatException("multi-part zip archives are not supported");
        }
        if (count > MAX_ENTRIES || cdSize > MAX_CENTRAL_DIRECTORY || cdSize < 46 * count) {
            throw new PthFormatException("zip central directory declares " + count + " entries in " + cdSize
                    + " bytes; at most " + MAX_ENTRIES + " entries of at least 46 bytes each are accepted");
        }
        if (cdOffset < 0 || cdOffset > cdLimit - cdSize) {
            throw new PthFormatException("zip central directory (" + cdSize + " bytes at " + cdOffset
                    + ") lies outside the file (truncated?)");
        }
        List<Entry> list = parseCentral(read(channel, cdOffset, (int) cdSize), (int) count, channel, cdOffset);
        return new ZipDirectory(channel, checkLayout(list));
    }

    /** disk, central-directory disk, entry count, cd size, cd offset, and where the zip64 record starts. */
    private static long[] readZip64End(FileChannel channel, long eocdPosition) throws IOException {
        if (eocdPosition < 20) {
            throw new PthFormatException("zip64 fields without a zip64 end-of-central-directory locator");
        }
        ByteBuffer locator = read(channel, eocdPosition - 20, 20);
        if (locator.getInt(0) != EOCD64_LOCATOR_SIG) {
            throw new PthFormatException("zip64 fields without a zip64 end-of-central-directory locator");
        }
        long at = locator.getLong(8);
        if (at < 0 || at > eocdPosition - 20 - 56) {
            throw new PthFormatException("zip64 end-of-central-directory record offset " + at + " is outside the file");
        }
        ByteBuffer end = read(channel, at, 56);
        if (end.getInt(0) != EOCD64_SIG) {
            throw new PthFormatException("no zip64 end-of-central-directory record where its locator points");
        }
        long entriesHere = end.getLong(24);
        long entries = end.getLong(32);
        if (entriesHere != entries) {
            throw new PthFormatException("multi-part zip archives are not supported");
        }
        return new long[]{end.getInt(16) & 0xffffffffL, end.getInt(20) & 0xffffffffL, entries, end.getLong(40),
                end.getLong(48), at};
    }

    private static List<Entry> parseCentral(ByteBuffer cd, int count, FileChannel channel, long cdOffset)
            throws IOException {
        List<Entry> list = new ArrayList<>(count);
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (p > cd.limit() - 46 || cd.getInt(p) != CENTRAL_SIG) {
                throw new PthFormatException("zip central directory entry " + i + " is malformed");
            }
            int flags = cd.getShort(p + 8) & 0xffff;
            int method = cd.getShort(p + 10) & 0xffff;
            long crc = cd.getInt(p + 16) & 0xffffffffL;
            long compressed = cd.getInt(p + 20) & 0xffffffffL;
            long size = cd.getInt(p + 24) & 0xffffffffL;
            int nameLength = cd.getShort(p + 28) & 0xffff;
            int extraLength = cd.getShort(p + 30) & 0xffff;
            int commentLength = cd.getShort(p + 32) & 0xffff;
            int disk = cd.getShort(p + 34) & 0xffff;
            long localOffset = cd.getInt(p + 42) & 0xffffffffL;
            int next = p + 46 + nameLength + extraLength + commentLength;
            if (next > cd.limit() || nameLength > MAX_NAME_BYTES) {
                throw new PthFormatException("zip central directory entry " + i + " is malformed");
            }
            byte[] nameBytes = new byte[nameLength];
            cd.get(p + 46, nameBytes);
            String name = decodeName(nameBytes);
            long[] big = zip64Extra(cd, p + 46 + nameLength, extraLength, size == 0xffffffffL,
                    compressed == 0xffffffffL, localOffset == 0xffffffffL, disk == 0xffff, name);
            size = big[0] >= 0 ? big[0] : size;
            compressed = big[1] >= 0 ? big[1] : compressed;
            localOffset = big[2] >= 0 ? big[2] : localOffset;
            if ((flags & 1) != 0) {
                throw new PthFormatException("zip entry '" + name + "' is encrypted");
            }
            if (method != STORED && method != DEFLATED) {
                throw new PthFormatException("zip entry '" + name + "' uses compression method " + method
                        + "; only stored (0) and deflated (8) are supported");
            }
            if (localOffset < 0 || localOffset > cdOffset - 30 || compressed < 0 || size < 0) {
                throw new PthFormatException("zip entry '" + name + "' has a local header offset or size outside"
                        + " the file");
            }
            long dataStart = checkLocalHeader(channel, localOffset, nameBytes, method, name);
            if (dataStart > cdOffset - compressed) {
                throw new PthFormatException("zip entry '" + name + "' (" + compressed + " bytes at " + dataStart
                        + ") runs into the central directory at " + cdOffset + " (truncated or corrupt)");
            }
            list.add(new Entry(name, method, crc, compressed, size, localOffset, dataStart));
            p = next;
        }
        return list;
    }

    /** The zip64 extended-information field's values for the fields that were 0xffffffff (-1 where absent). */
    private static long[] zip64Extra(ByteBuffer cd, int start, int length, boolean needSize, boolean needCompressed,
                                     boolean needOffset, boolean needDisk, String name) throws PthFormatException {
        long[] out = {-1, -1, -1};
        int p = start;
        while (p + 4 <= start + length) {
            int id = cd.getShort(p) & 0xffff;
            int size = cd.getShort(p + 2) & 0xffff;
            if (p + 4 + size > start + length) {
                break;
            }
            if (id == 1) {
                int q = p + 4;
                int needed = 8 * ((needSize ? 1 : 0) + (needCompressed ? 1 : 0) + (needOffset ? 1 : 0));
                if (size < needed) {
                    throw new PthFormatException("zip entry '" + name + "' has a truncated zip64 field");
                }
                if (needSize) {
                    out[0] = cd.getLong(q);
                    q += 8;
                }
                if (needCompressed) {
                    out[1] = cd.getLong(q);
                    q += 8;
                }
                if (needOffset) {
                    out[2] = cd.getLong(q);
                }
                return out;
            }
            p += 4 + size;
        }
        if (needSize || needCompressed || needOffset || needDisk) {
            throw new PthFormatException("zip entry '" + name + "' lacks the zip64 field its sizes require");
        }
        return out;
    }

    /** Checks the local header against the central entry; returns where the entry's data begins. */
    private static long checkLocalHeader(FileChannel channel, long offset, byte[] name, int method, String display)
            throws IOException {
        ByteBuffer local = read(channel, offset, 30);
        int nameLength = local.getShort(26) & 0xffff;
        int extraLength = local.getShort(28) & 0xffff;
        if (local.getInt(0) != LOCAL_SIG || (local.getShort(8) & 0xffff) != method || nameLength != name.length) {
            throw new PthFormatException("zip entry '" + display + "': local header disagrees with the central"
                    + " directory");
        }
        ByteBuffer localName = read(channel, offset + 30, nameLength);
        if (!Arrays.equals(localName.array(), name)) {
            throw new PthFormatException("zip entry '" + display + "': local header names a different file");
        }
        return offset + 30 + nameLength + extraLength;
    }

    /** Validates names, sizes, uniqueness and non-overlap; returns the file entries by name. */
    private static Map<String, Entry> checkLayout(List<Entry> list) throws PthFormatException {
        Map<String, Entry> byName = new LinkedHashMap<>();
        long inflated = 0;
        for (Entry e : list) {
            checkName(e.name());
            if (byName.containsKey(e.name())) {
                throw new PthFormatException("zip entry '" + e.name() + "' occurs twice");
            }
            if (e.method() == STORED && e.compressedSize() != e.size()) {
                throw new PthFormatException("zip entry '" + e.name() + "' is stored but declares " + e.size()
                        + " bytes in " + e.compressedSize());
            }
            if (e.method() == DEFLATED) {
                if (e.size() > MAX_DEFLATE_RATIO * e.compressedSize() + 1024) {
                    throw new PthFormatException("zip entry '" + e.name() + "' declares " + e.size() + " bytes from "
                            + e.compressedSize() + " compressed, more than deflate's maximum ratio of "
                            + MAX_DEFLATE_RATIO + ":1 (a zip bomb or a corrupt size)");
                }
                inflated += e.size();
                if (inflated > MAX_TOTAL_INFLATED) {
                    throw new PthFormatException("deflated zip entries declare more than " + MAX_TOTAL_INFLATED
                            + " bytes in total");
                }
            }
            byName.put(e.name(), e);
        }
        List<Entry> byOffset = new ArrayList<>(list);
        byOffset.sort(Comparator.comparingLong(Entry::localOffset));
        for (int i = 0; i + 1 < byOffset.size(); i++) {
            Entry a = byOffset.get(i);
            Entry b = byOffset.get(i + 1);
            if (a.dataStart() + a.compressedSize() > b.localOffset()) {
                throw new PthFormatException("zip entries '" + a.name() + "' and '" + b.name() + "' overlap"
                        + " (a zip bomb or a corrupt archive)");
            }
        }
        byName.values().removeIf(e -> e.name().endsWith("/"));
        return byName;
    }

    /** Relative, '/'-separated, no empty, "." or ".." segments, no backslashes, drive letters or control bytes. */
    private static void checkName(String name) throws PthFormatException {
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        boolean bad = body.isEmpty() || body.startsWith("/") || body.indexOf('\\') >= 0 || body.indexOf(':') >= 0;
        for (String segment : body.split("/", -1)) {
            bad |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
        }
        for (int i = 0; i < name.length() && !bad; i++) {
            bad = name.charAt(i) < 0x20 || name.charAt(i) == 0x7f;
        }
        if (bad) {
            throw new PthFormatException("zip entry name '" + printable(name) + "' is not a plain relative path");
        }
    }

    private static String decodeName(byte[] bytes) throws PthFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PthFormatException("zip entry name is not valid UTF-8");
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    /**
     * The entry's bytes, at most {@code maxBytes}: checked against its declared size and CRC-32 (a deflated
     * entry is inflated into a buffer that grows only as output is really produced).
     */
    byte[] readEntry(Entry e, long maxBytes) throws IOException {
        if (e.size() > maxBytes) {
            throw new PthFormatException("zip entry '" + e.name() + "' is " + e.size() + " bytes; at most "
                    + maxBytes + " are supported here");
        }
        byte[] data = e.method() == STORED ? read(channel, e.dataStart(), (int) e.size()).array() : inflate(e);
        CRC32 crc = new CRC32();
        crc.update(data);
        if (crc.getValue() != e.crc()) {
            throw new PthFormatException("zip entry '" + e.name() + "' fails its CRC-32 check (corrupt)");
        }
        return data;
    }

    private byte[] inflate(Entry e) throws IOException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] out = new byte[(int) Math.min(e.size(), 1 << 16)];
            byte[] probe = new byte[1];
            int produced = 0;
            long position = e.dataStart();
            long left = e.compressedSize();
            ByteBuffer input = ByteBuffer.allocate((int) Math.min(Math.max(left, 1), 1 << 16));
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (left == 0) {
                        throw new PthFormatException("zip entry '" + e.name() + "': deflated data ends early");
                    }
                    input.clear().limit((int) Math.min(input.capacity(), left));
                    readFully(channel, input, position);
                    position += input.limit();
                    left -= input.limit();
                    inflater.setInput(input.array(), 0, input.limit());
                }
                if (produced == e.size()) {
                    // all declared bytes are out: the stream may only end now, producing nothing more
                    if (inflater.inflate(probe) > 0) {
                        throw new PthFormatException("zip entry '" + e.name() + "' inflates to more than its"
                                + " declared " + e.size() + " bytes");
                    }
                } else {
                    if (produced == out.length) {
                        out = Arrays.copyOf(out, (int) Math.min(e.size(), 2L * out.length));
                    }
                    produced += inflater.inflate(out, produced, out.length - produced);
                }
                if (inflater.needsDictionary()) {
                    throw new PthFormatException("zip entry '" + e.name() + "': deflate stream needs a preset"
                            + " dictionary");
                }
            }
            if (produced != e.size()) {
                throw new PthFormatException("zip entry '" + e.name() + "' inflates to " + produced
                        + " bytes, not its declared " + e.size());
            }
            return out;
        } catch (DataFormatException ex) {
            throw new PthFormatException("zip entry '" + e.name() + "': corrupt deflate data (" + ex.getMessage()
                    + ")");
        } finally {
            inflater.end();
        }
    }

    static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, buffer, position);
        return buffer.flip();
    }

    static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new PthFormatException("file ends at byte " + at + " while " + dst.remaining()
                        + " more bytes were expected (truncated?)");
            }
            at += n;
        }
    }
}
