package org.ltz4d.reader.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Bench;

/**
 * Read throughput of the HDF5 reader on ~1 GiB 4D uint16 datasets written with jHDF: chunked
 * (1, 1, 256, 256) uncompressed, and the same data in DECTRIS-style bitshuffle/LZ4 chunks, each
 * against a plain sequential read of its file. jHDF writes a dataset from one Java array, so writing
 * needs ~3 GB of heap; reading does not, which the two-step form shows:
 * <pre>
 * java -Xmx4g   -cp ... org.ltz4d.reader.hdf5.Hdf5Benchmark write /tmp/ltz4d-bench [scanY]
 * java -Xmx128m -cp ... org.ltz4d.reader.hdf5.Hdf5Benchmark read  /tmp/ltz4d-bench   (reads, then deletes the files)
 * </pre>
 */
public final class Hdf5Benchmark {
    static final String PLAIN = "chunked.h5";
    static final String BSLZ4 = "bslz4.h5";

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "write";
        Path dir = Path.of(args.length > 1 ? args[1] : "/tmp/ltz4d-bench");
        if (mode.equals("write")) {
            write(dir, args.length > 2 ? Integer.parseInt(args[2]) : 64);
        } else {
            try {
                read(dir);
            } finally {
                Files.deleteIfExists(dir.resolve(PLAIN));
                Files.deleteIfExists(dir.resolve(BSLZ4));
                Files.deleteIfExists(dir);
            }
        }
    }

    static void write(Path dir, int ny) throws Exception {
        int nx = 128, n = 256;
        Files.createDirectories(dir);
        short[][][][] data = new short[ny][nx][n][n];
        java.util.Random rnd = new java.util.Random(1);
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                for (int r = 0; r < n; r++) {
                    short[] row = data[y][x][r];
                    for (int c = 0; c < n; c++) {
                        // a bright disk on a sparse background, like a counting detector
                        int dr = r - 128, dc = c - 128;
                        row[c] = (short) (dr * dr + dc * dc < 400 ? 200 + rnd.nextInt(50) : (rnd.nextInt(16) == 0 ? 1 : 0));
                    }
                }
            }
        }
        write(dir.resolve(PLAIN), data, DatasetCreationOptions.builder().unsigned().chunkDimensions(1, 1, n, n).build());
        write(dir.resolve(BSLZ4), data, DatasetCreationOptions.builder().unsigned().chunkDimensions(1, 1, n, n)
                .filter(new BitshuffleLz4Filter(), 0, 3, 2, 0, 2).build());
    }

    private static void write(Path f, short[][][][] data, DatasetCreationOptions options) {
        long t0 = System.nanoTime();
        try (WritableHdfFile out = HdfFile.write(f)) {
            out.putDataset("data", data, options);
        }
        System.out.printf("# wrote %s in %.1f s%n", f, (System.nanoTime() - t0) * 1e-9);
    }

    static void read(Path dir) throws Exception {
        System.out.printf("# reading with max heap %.0f MB%n", Runtime.getRuntime().maxMemory() / 1e6);
        for (String name : new String[] {PLAIN, BSLZ4}) {
            Path f = dir.resolve(name);
            try (Dataset d = new Hdf5Reader().open(f, Parameters.empty())) {
                long bytes = d.frameCount() * d.framePixels() * (long) d.dtype().bytes();
                Bench.compare("HDF5 " + d.metadata().get("hdf5.chunks") + " " + (name.equals(PLAIN) ? "uncompressed" : "bitshuffle+LZ4"),
                        f, bytes, d, Math.max(16, d.preferredBlockFrames()));
            }
        }
    }
}
