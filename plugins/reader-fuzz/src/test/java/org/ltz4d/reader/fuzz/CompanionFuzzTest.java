package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.empad.EmpadReader;
import org.ltz4d.reader.hdf5.Hdf5Reader;
import org.ltz4d.reader.mib.MibReader;
import org.ltz4d.reader.ser.SerReader;
import org.ltz4d.reader.tvips.TvipsReader;

/**
 * Companion files (issue 15): formats split over two files, with one of them fuzzed and the other the
 * real one. The first byte of an input picks the pair and which side is fuzzed (even: the companion,
 * odd: the main file); the rest is that file's bytes. Pairs: Merlin {@code .mib} + {@code .hdr}, TIA
 * {@code _1.ser} + {@code .emi}, TVIPS {@code _000.tvips} + continuation {@code _001.tvips}, EMPAD
 * {@code .xml} + its {@code .raw}, DECTRIS Arina {@code _master.h5} + the {@code _data_000001.h5} it
 * links to. The reader is always given the main file; the contract is {@link ReaderFuzz}'s.
 */
class CompanionFuzzTest extends ReaderFuzz {
    private static final int EMPAD_RECORD = 130 * 128 * 4;

    /** One pair: the reader, the main file's name and real source, the companion's name and real source (null: generated). */
    private record Pair(DatasetReader reader, String main, String mainReal, String companion, String companionReal) {
    }

    private static final Pair[] PAIRS = {
        new Pair(new MibReader(), "c.mib", "mib/rsciio/001_4x2_6bit.mib", "c.hdr",
                "mib/rsciio/001_4x2_6bit.hdr"),
        new Pair(new SerReader(), "c_1.ser", "tia_ser/64x64_diffraction_acquire_1.ser", "c.emi", "tia_ser/64x64_diffraction_acquire.emi"),
        new Pair(new TvipsReader(), "c_000.tvips", "tvips/test_tvips_2345_split_000.tvips", "c_001.tvips",
                "tvips/test_tvips_2345_split_001.tvips"),
        new Pair(new EmpadReader(), "c.xml", "empad/map4x4.xml", "scan_x4_y4.raw", null),
        new Pair(new Hdf5Reader(), "test_00_master.h5", "arina/test_00_master.h5", "test_00_data_000001.h5", "arina/test_00_data_000001.h5"),
    };

    /** Seeds: for each pair and side, the real file (and its first half), behind the selector byte. */
    static Stream<byte[]> seeds() {
        List<byte[]> out = new ArrayList<>();
        for (int p = 0; p < PAIRS.length; p++) {
            for (int side = 0; side < 2; side++) {
                byte[] b = side == 0 ? companionBytes(PAIRS[p]) : real(PAIRS[p].mainReal());
                for (byte[] s : List.of(b, Arrays.copyOf(b, b.length / 2))) {
                    byte[] in = new byte[s.length + 1];
                    in[0] = (byte) (2 * p + side);
                    System.arraycopy(s, 0, in, 1, s.length);
                    out.add(in);
                }
            }
        }
        return out.stream();
    }

    /** The real companion, or for EMPAD a raw of the 4×4 frames the XML names (zeros). */
    private static byte[] companionBytes(Pair p) {
        return p.companionReal() == null ? new byte[16 * EMPAD_RECORD] : whole(p.companionReal());
    }

    private static byte[] whole(String rel) {
        try {
            return Files.readAllBytes(org.ltz4d.io.testing.Expected.real().resolve(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        if (data.length == 0) return;
        int sel = Math.floorMod(data[0], 2 * PAIRS.length);
        Pair p = PAIRS[sel / 2];
        boolean fuzzMain = sel % 2 == 1;
        byte[] fuzzed = Arrays.copyOfRange(data, 1, data.length);
        try {
            Path folder = Files.createDirectories(dir.resolve("pair" + sel));
            Path companion = folder.resolve(p.companion());
            if (fuzzMain) {
                if (!Files.exists(companion)) Files.write(companion, companionBytes(p));
                check(p.reader(), folder.getFileName() + "/" + p.main(), fuzzed, Parameters.empty());
            } else {
                Path main = folder.resolve(p.main());
                if (!Files.exists(main)) Files.write(main, whole(p.mainReal()));
                Files.write(companion, fuzzed);
                check(p.reader(), folder.getFileName() + "/" + p.main(), whole(p.mainReal()), Parameters.empty());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
