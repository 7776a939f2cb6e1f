package org.ltz4d.reader.dm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes DM3/DM4 tag trees for tests, following the layout in DmTags' javadoc. */
public final class DmWriter {
    /** A tag: a group (children) or data (type words + value bytes in the data byte order). */
    public static final class Node {
        final String name;
        final List<Node> children;
        final long[] info;
        final byte[] value;

        private Node(String name, List<Node> children, long[] info, byte[] value) {
            this.name = name;
            this.children = children;
            this.info = info;
            this.value = value;
        }
    }

    private final boolean dm4;
    private final ByteOrder order;

    public DmWriter(boolean dm4, ByteOrder order) {
        this.dm4 = dm4;
        this.order = order;
    }

    public static Node group(String name, Node... children) {
        return new Node(name, new ArrayList<>(List.of(children)), null, null);
    }

    public Node f64(String name, double v) {
        return new Node(name, null, new long[] {7}, ByteBuffer.allocate(8).order(order).putDouble(v).array());
    }

    public Node f32(String name, float v) {
        return new Node(name, null, new long[] {6}, ByteBuffer.allocate(4).order(order).putFloat(v).array());
    }

    public Node i32(String name, int v) {
        return new Node(name, null, new long[] {3}, ByteBuffer.allocate(4).order(order).putInt(v).array());
    }

    public Node u32(String name, int v) {
        return new Node(name, null, new long[] {5}, ByteBuffer.allocate(4).order(order).putInt(v).array());
    }

    /** DM text: a u16 array of UTF-16 code units. */
    public Node text(String name, String s) {
        byte[] b = s.getBytes(order == ByteOrder.LITTLE_ENDIAN ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
        return new Node(name, null, new long[] {20, 4, s.length()}, b);
    }

    /** An array of {@code count} elements of DM tag type {@code elemType} with the given bytes. */
    public static Node array(String name, int elemType, long count, byte[] bytes) {
        return new Node(name, null, new long[] {20, elemType, count}, bytes);
    }

    /** An image entry of ImageList: Data, DataType, Dimensions, per-axis calibrations, tags. */
    public Node image(int dataType, int arrayElemType, long[] dims, byte[] data, double[] scales, double[] origins, String[] units, Node imageTags) {
        Node[] dn = new Node[dims.length];
        for (int i = 0; i < dims.length; i++) dn[i] = u32("", (int) dims[i]);
        List<Node> cal = new ArrayList<>();
        for (int i = 0; scales != null && i < scales.length; i++) {
            cal.add(group("", f32("Origin", (float) origins[i]), f32("Scale", (float) scales[i]), text("Units", units[i])));
        }
        int elem = DmTags.size(arrayElemType);
        return group("",
                group("ImageData",
                        group("Calibrations", new Node("Dimension", cal, null, null)),
                        array("Data", arrayElemType, data.length / elem, data),
                        i32("DataType", dataType),
                        new Node("Dimensions", new ArrayList<>(List.of(dn)), null, null)),
                imageTags == null ? group("ImageTags") : imageTags,
                text("Name", "written by a test"));
    }

    public byte[] bytes(Node root) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(dm4 ? 16 : 12).order(ByteOrder.BIG_ENDIAN);
        h.putInt(dm4 ? 4 : 3);
        if (dm4) h.putLong(0); else h.putInt(0);
        h.putInt(order == ByteOrder.LITTLE_ENDIAN ? 1 : 0);
        out.write(h.array());
        groupBody(out, root);
        out.write(new byte[8]);
        return out.toByteArray();
    }

    public Path write(Path file, Node root) throws IOException {
        Files.write(file, bytes(root));
        return file;
    }

    private void groupBody(ByteArrayOutputStream out, Node g) throws IOException {
        out.write(1); // sorted
        out.write(0); // open
        word(out, g.children.size());
        for (Node c : g.children) {
            out.write(c.children != null ? 20 : 21);
            byte[] name = c.name.getBytes(StandardCharsets.ISO_8859_1);
            out.write(ByteBuffer.allocate(2).order(ByteOrder.BIG_ENDIAN).putShort((short) name.length).array());
            out.write(name);
            if (dm4) out.write(new byte[8]); // entry size, not used by the reader
            if (c.children != null) {
                groupBody(out, c);
            } else {
                out.write("%%%%".getBytes(StandardCharsets.US_ASCII));
                word(out, c.info.length);
                for (long w : c.info) word(out, w);
                out.write(c.value);
            }
        }
    }

    private void word(ByteArrayOutputStream out, long w) throws IOException {
        if (dm4) out.write(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(w).array());
        else out.write(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt((int) w).array());
    }
}
