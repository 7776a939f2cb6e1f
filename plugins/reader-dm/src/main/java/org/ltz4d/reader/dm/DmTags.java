package org.ltz4d.reader.dm;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.TruncatedFileException;

/**
 * The tag tree of a Gatan DigitalMicrograph DM3/DM4 file, parsed with positional reads through a
 * small buffer: large arrays (the image data) are not read, only their offset and length recorded.
 * Layout: version (u32 BE, 3 or 4), root size (u32 / DM4 u64), byte order (u32; 1 = little-endian
 * values), then the root group. A group is sorted u8, open u8, count (u32 / u64); an entry is
 * type u8 (20 group, 21 data), name length u16 BE, name, (DM4) entry size u64, then a group or
 * {@code %%%%}, n info words (u32 / u64, big-endian) and the value in the file's byte order.
 */
final class DmTags {
    /** An entry: a group (children) or a value (scalar, string, struct, or array reference). */
    static final class Tag {
        final String name;
        final List<Tag> children;
        Object value;
        long arrayOffset = -1;
        long arrayCount;
        int arrayType;
        int arrayElemBytes;

        Tag(String name, boolean group) {
            this.name = name;
            this.children = group ? new ArrayList<>() : null;
        }

        boolean isGroup() {
            return children != null;
        }

        /** Child by name, or null. */
        Tag get(String childName) {
            if (children == null) return null;
            for (Tag t : children) if (t.name.equals(childName)) return t;
            return null;
        }

        /** Follows names separated by '/'; null when any step is missing. */
        Tag path(String path) {
            Tag t = this;
            for (String p : path.split("/")) {
                if (t == null) return null;
                t = t.get(p);
            }
            return t;
        }

        Double number(String path) {
            Tag t = path(path);
            if (t == null) return null;
            if (t.value instanceof Number n) return n.doubleValue();
            if (t.value instanceof Boolean b) return b ? 1.0 : 0.0;
            return null;
        }

        /** A string value or a u16 array decoded as UTF-16 (how DM stores text). */
        String text(String path) {
            Tag t = path(path);
            if (t == null) return null;
            if (t.value instanceof String s) return s;
            if (t.value instanceof Number n) return n.toString();
            return null;
        }
    }

    static final int GROUP = 20;
    static final int DATA = 21;
    private static final int MAX_SMALL_ARRAY = 1 << 16;

    final int version;
    final ByteOrder order;
    final Tag root;
    private final Path file;
    private final Cursor in;

    private DmTags(Path file, FileChannel ch) throws IOException {
        this.file = file;
        this.in = new Cursor(file, ch);
        long size = ch.size();
        if (size == 0) throw new TruncatedFileException(file, "header", "a DM3/DM4 file header", "an empty file (0 bytes)");
        if (size < 16) throw new TruncatedFileException(file, "header", "at least 16 bytes", size + " bytes");
        version = (int) in.u32();
        if (version != 3 && version != 4) {
            throw new CorruptFileException(file, "header version", "3 or 4 (a Gatan DM3/DM4 file)", Integer.toUnsignedString(version));
        }
        if (version == 4) in.u64(); else in.u32();
        long bo = in.u32();
        if (bo != 0 && bo != 1) throw new CorruptFileException(file, "header byte order", "0 or 1", Long.toString(bo));
        order = bo == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        root = new Tag("", true);
        group(root, "", 0);
    }

    static DmTags read(Path file, FileChannel ch) throws IOException {
        return new DmTags(file, ch);
    }

    private long word() throws IOException {
        return version == 4 ? in.u64() : in.u32();
    }

    private void group(Tag g, String path, int depth) throws IOException {
        if (depth > 64) throw new CorruptFileException(file, "tag " + path, "tag groups nested at most 64 deep", "deeper");
        in.u8(); // sorted
        in.u8(); // open
        long count = word();
        if (count < 0 || count > 10_000_000) throw new CorruptFileException(file, "tag group " + path, "a plausible entry count", Long.toString(count));
        for (long i = 0; i < count; i++) {
            int type = in.u8();
            int nameLen = in.u16();
            String name = new String(in.bytes(nameLen), StandardCharsets.ISO_8859_1);
            String p = path.isEmpty() ? (name.isEmpty() ? "[" + i + "]" : name) : path + "/" + (name.isEmpty() ? "[" + i + "]" : name);
            if (version == 4) in.u64(); // entry size
            if (type == GROUP) {
                Tag t = new Tag(name, true);
                g.children.add(t);
                group(t, p, depth + 1);
            } else if (type == DATA) {
                Tag t = new Tag(name, false);
                g.children.add(t);
                data(t, p);
            } else {
                throw new CorruptFileException(file, "tag " + p, "entry type 20 (group) or 21 (data)", Integer.toString(type));
            }
        }
    }

    private void data(Tag t, String p) throws IOException {
        byte[] delim = in.bytes(4);
        if (delim[0] != '%' || delim[1] != '%' || delim[2] != '%' || delim[3] != '%') {
            throw new CorruptFileException(file, "tag " + p, "the data delimiter %%%%", new String(delim, StandardCharsets.ISO_8859_1));
        }
        long n = word();
        if (n < 1 || n > 10_000) throw new CorruptFileException(file, "tag " + p, "1..10000 type words", Long.toString(n));
        long[] info = new long[(int) n];
        for (int i = 0; i < n; i++) info[i] = word();
        int enc = (int) info[0];
        long need = enc == 18 ? 2 : enc == 15 ? 3 + 2 * Math.max(0, n >= 3 ? info[2] : 0)
                : enc == 20 ? (n >= 2 && info[1] == 15 ? 5 + 2 * Math.max(0, n >= 4 ? info[3] : 0) : 3) : 1;
        if (n < need || (enc == 15 && (info[2] < 0 || info[2] > 10_000)) || (enc == 20 && info[1] == 15 && (info[3] < 0 || info[3] > 10_000))) {
            throw new CorruptFileException(file, "tag " + p, "type words consistent with encoding " + enc, n + " words");
        }
        if (size(enc) > 0) {
            t.value = simple(enc);
        } else if (enc == 18) { // string: length then bytes
            t.value = new String(in.bytes(Math.toIntExact(info[1])), StandardCharsets.ISO_8859_1);
        } else if (enc == 15) { // struct: [15, nameLen, nFields, (fieldNameLen, fieldType)...]
            int nf = (int) info[2];
            Object[] fields = new Object[nf];
            for (int k = 0; k < nf; k++) fields[k] = simpleOrSkip((int) info[4 + 2 * k]);
            t.value = fields;
        } else if (enc == 20) {
            int elem = (int) info[1];
            int elemBytes;
            long count;
            if (elem == 15) { // array of structs: [20, 15, nameLen, nFields, (fnl, ft)..., count]
                int nf = (int) info[3];
                elemBytes = 0;
                for (int k = 0; k < nf; k++) elemBytes += Math.max(0, size((int) info[5 + 2 * k]));
                count = info[4 + 2 * nf];
            } else {
                elemBytes = size(elem);
                count = info[2];
                if (elemBytes <= 0) throw new CorruptFileException(file, "tag " + p, "an array of a known element type", "type " + elem);
            }
            t.arrayOffset = in.position();
            t.arrayCount = count;
            t.arrayType = elem;
            t.arrayElemBytes = elemBytes;
            long bytes = count * elemBytes;
            if (elem == 4 && bytes <= MAX_SMALL_ARRAY) { // u16 array: text (units, names)
                byte[] b = in.bytes((int) bytes);
                t.value = new String(b, order == ByteOrder.LITTLE_ENDIAN ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
            } else {
                in.skip(bytes);
            }
        } else {
            throw new CorruptFileException(file, "tag " + p, "a known encoding (2-12, 15, 18, 20)", Integer.toString(enc));
        }
    }

    private Object simpleOrSkip(int type) throws IOException {
        return size(type) > 0 ? simple(type) : null;
    }

    private Object simple(int type) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(in.bytes(size(type))).order(order);
        return switch (type) {
            case 2 -> b.getShort();
            case 3 -> b.getInt();
            case 4 -> Short.toUnsignedInt(b.getShort());
            case 5 -> Integer.toUnsignedLong(b.getInt());
            case 6 -> b.getFloat();
            case 7 -> b.getDouble();
            case 8 -> b.get() != 0;
            case 9 -> b.get();
            case 10 -> Byte.toUnsignedInt(b.get());
            case 11, 12 -> b.getLong();
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    /** Bytes of a simple tag type, or -1. */
    static int size(int type) {
        return switch (type) {
            case 2, 4 -> 2;
            case 3, 5, 6 -> 4;
            case 7, 11, 12 -> 8;
            case 8, 9, 10 -> 1;
            default -> -1;
        };
    }

    /** Sequential reads through a buffer, by absolute file position (the channel's position is not used). */
    private static final class Cursor {
        private final Path file;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.BIG_ENDIAN);
        private long bufStart;
        private long pos;
        private final long size;

        Cursor(Path file, FileChannel ch) throws IOException {
            this.file = file;
            this.ch = ch;
            this.size = ch.size();
            buf.limit(0);
        }

        long position() {
            return pos;
        }

        void skip(long n) {
            if (n < 0 || pos + n > size) throw truncated(n);
            pos += n;
        }

        private void need(int n) throws IOException {
            if (pos + n > size) throw truncated(n);
            if (pos >= bufStart && pos + n <= bufStart + buf.limit()) return;
            buf.clear();
            bufStart = pos;
            while (buf.position() < Math.min(buf.capacity(), size - pos)) {
                if (ch.read(buf, bufStart + buf.position()) < 0) throw new EOFException();
            }
            buf.flip();
        }

        private TruncatedFileException truncated(long n) {
            return new TruncatedFileException(file, "tag tree at byte " + pos, (pos + n) + " bytes", size + " bytes");
        }

        int u8() throws IOException {
            need(1);
            int v = buf.get((int) (pos - bufStart)) & 0xFF;
            pos += 1;
            return v;
        }

        int u16() throws IOException {
            need(2);
            int v = buf.getShort((int) (pos - bufStart)) & 0xFFFF;
            pos += 2;
            return v;
        }

        long u32() throws IOException {
            need(4);
            long v = Integer.toUnsignedLong(buf.getInt((int) (pos - bufStart)));
            pos += 4;
            return v;
        }

        long u64() throws IOException {
            need(8);
            long v = buf.getLong((int) (pos - bufStart));
            pos += 8;
            return v;
        }

        byte[] bytes(int n) throws IOException {
            if (n < 0 || pos + n > size) throw truncated(n);
            byte[] out = new byte[n];
            if (n <= buf.capacity()) {
                need(n);
                buf.get((int) (pos - bufStart), out, 0, n);
            } else {
                ByteBuffer b = ByteBuffer.wrap(out);
                while (b.hasRemaining()) if (ch.read(b, pos + b.position()) < 0) throw truncated(n);
            }
            pos += n;
            return out;
        }
    }
}
