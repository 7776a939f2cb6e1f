package org.ltz4d.reader.hdf5;

import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.io.MappedFile;

/** How one jHDF dataset is read as frames: its axes, and contiguous (mapped), chunked or small compact storage. */
final class Parts {
    /** Largest chunk decoded (one is held per thread): real 4D-STEM chunks are a few MiB; a larger one is a damaged header. */
    static final long MAX_CHUNK_BYTES = 256L << 20;

    private Parts() {
    }

    /** Rank without leading ones beyond four dimensions. */
    static int effectiveRank(int[] dims) {
        int lead = 0;
        while (lead < dims.length - 4 && dims[lead] == 1) lead++;
        return dims.length - lead;
    }

    /** {@code framesLast}: (h, w, n) as Velox stores a stack; otherwise the frame axes come first, the detector axes last. */
    static Hdf5Dataset.Part of(Path file, io.jhdf.api.Dataset d, boolean framesLast) {
        int[] dims = d.getDimensions();
        String path = d.getPath();
        int rank = dims.length;
        int[] nav;
        int row, col;
        ElementType type = ElementType.of(file, path, d.getDataType());
        if (rank < 2) {
            throw new ShapeMismatchException(file, path, "a 2D image, 3D stack or 4D dataset", "rank " + rank + " shape " + Arrays.toString(dims));
        }
        if (framesLast && rank == 3) {
            nav = new int[] {2};
            row = 0;
            col = 1;
        } else {
            int eff = effectiveRank(dims);
            if (eff > 4) {
                throw new UnsupportedFormatException(file, path, "a dataset of at most 4 dimensions (leading ones allowed)",
                        "shape " + Arrays.toString(dims));
            }
            row = rank - 2;
            col = rank - 1;
            nav = eff == 4 ? new int[] {rank - 4, rank - 3} : eff == 3 ? new int[] {rank - 3} : new int[0];
        }
        Path holder = d.getFileAsPath() != null ? d.getFileAsPath() : file;
        if (d instanceof ChunkedDataset c) {
            long chunkBytes = type.size();
            for (int n : c.getChunkDimensions()) chunkBytes *= Math.max(1, n);
            if (chunkBytes > MAX_CHUNK_BYTES) { // checked before a chunk buffer is allocated
                throw new UnsupportedFormatException(file, path + " chunk shape", "chunks of at most " + (MAX_CHUNK_BYTES >> 20) + " MiB",
                        Arrays.toString(c.getChunkDimensions()) + " = " + chunkBytes + " bytes");
            }
            return new Hdf5Dataset.ChunkedPart(holder, path, dims, nav, row, col, type, c, bitshuffleMode(file, d));
        }
        if (d instanceof ContiguousDataset c) {
            long address = c.getDataAddress();
            long bytes = d.getSize() * type.size();
            if (address < 0) { // undefined address: storage never allocated
                return new Hdf5Dataset.ContiguousPart(holder, path, dims, nav, row, col, type, null, 0);
            }
            long absolute = address + d.getHdfFile().getUserBlockSize();
            long size = holderSize(holder);
            if (absolute + bytes > size) {
                throw new TruncatedFileException(holder, path, (absolute + bytes) + " bytes for the data of " + path, size + " bytes");
            }
            long record = Hdf5Dataset.ContiguousPart.recordBytes(dims, row, col, type.size());
            MappedFile map = new MappedFile(holder, type.order(), record);
            return new Hdf5Dataset.ContiguousPart(holder, path, dims, nav, row, col, type, map, absolute);
        }
        if (d.getSizeInBytes() > (64L << 20)) {
            throw new UnsupportedFormatException(file, path, "a contiguous, chunked or small compact dataset", String.valueOf(d.getDataLayout()));
        }
        float[] values = Hdf5Dataset.MemoryPart.flatten(d.getDataFlat());
        return new Hdf5Dataset.MemoryPart(holder, path, dims, nav, row, col, type, values);
    }

    /** 1 or 2 when the only filter is bitshuffle (without / with LZ4), else 0 (jHDF decodes). */
    static int bitshuffleMode(Path file, io.jhdf.api.Dataset d) {
        var filters = d.getFilters();
        if (filters.size() != 1 || filters.get(0).getId() != 32008) return 0;
        int[] cd = filters.get(0).getFilterData();
        int comp = cd.length > 4 ? cd[4] : 0;
        if (comp == 0) return 1;
        if (comp == 2) return 2;
        throw new UnsupportedFormatException(file, d.getPath(), "bitshuffle without compression or with LZ4 (cd_values[4] 0 or 2)",
                "cd_values[4] = " + comp + (comp == 3 ? " (ZSTD)" : ""));
    }

    private static long holderSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
