package org.cnn4j.io.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardEventsTest {
    private static ProtoSchema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws Exception {
        schema = ProtoSchema.load();
    }

    @Test
    void writerFieldNumbersAreTheSchemas() {
        int[][] pairs = {
            {EventProtos.EVENT_WALL_TIME, schema.number("Event.wall_time")},
            {EventProtos.EVENT_STEP, schema.number("Event.step")},
            {EventProtos.EVENT_FILE_VERSION, schema.number("Event.file_version")},
            {EventProtos.EVENT_SUMMARY, schema.number("Event.summary")},
            {EventProtos.SUMMARY_VALUE, schema.number("Summary.value")},
            {EventProtos.VALUE_TAG, schema.number("Summary.Value.tag")},
            {EventProtos.VALUE_SIMPLE_VALUE, schema.number("Summary.Value.simple_value")},
            {EventProtos.VALUE_IMAGE, schema.number("Summary.Value.image")},
            {EventProtos.VALUE_HISTO, schema.number("Summary.Value.histo")},
            {EventProtos.IMAGE_HEIGHT, schema.number("Summary.Image.height")},
            {EventProtos.IMAGE_WIDTH, schema.number("Summary.Image.width")},
            {EventProtos.IMAGE_COLORSPACE, schema.number("Summary.Image.colorspace")},
            {EventProtos.IMAGE_ENCODED, schema.number("Summary.Image.encoded_image_string")},
            {EventProtos.HISTO_MIN, schema.number("HistogramProto.min")},
            {EventProtos.HISTO_MAX, schema.number("HistogramProto.max")},
            {EventProtos.HISTO_NUM, schema.number("HistogramProto.num")},
            {EventProtos.HISTO_SUM, schema.number("HistogramProto.sum")},
            {EventProtos.HISTO_SUM_SQUARES, schema.number("HistogramProto.sum_squares")},
            {EventProtos.HISTO_BUCKET_LIMIT, schema.number("HistogramProto.bucket_limit")},
            {EventProtos.HISTO_BUCKET, schema.number("HistogramProto.bucket")},
        };
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(pairs[i][1], pairs[i][0], "constant " + i + " of EventProtos");
        }
    }

    @Test
    void maskedCrcIsCrc32cRotatedAndOffset() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        // CRC-32C("123456789") = 0xE3069283, the standard check value (CRC-32 would give 0xCBF43926);
        // masked: rotate right by 15 bits, add 0xa282ead8 (tools/tensorboard/read_events.py --self-test agrees)
        assertEquals(0xc78ab0e5, TfRecords.maskedCrc32c(check, 0, check.length));
        assertEquals(0xa282ead8, TfRecords.maskedCrc32c(new byte[0], 0, 0));
    }

    @Test
    void recordFramingIsLengthCrcDataCrc() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TfRecords.write(out, new byte[] {1, 2, 3});
        byte[] bytes = out.toByteArray();
        assertEquals(8 + 4 + 3 + 4, bytes.length);
        assertArrayEquals(new byte[] {3, 0, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(bytes, 8));
        assertArrayEquals(new byte[] {1, 2, 3}, EventFileReader.records(bytes).get(0));
        for (int i = 0; i < bytes.length; i++) {
            byte[] corrupt = bytes.clone();
            corrupt[i] ^= 0x10;
            int at = i;
            assertThrows(IllegalStateException.class, () -> EventFileReader.records(corrupt), "flipped byte " + at);
        }
    }

    @Test
    void scalarsImagesAndHistogramsDecodeWithTheSchema() throws Exception {
        BufferedImage picture = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(4, 2, 0x123456);
        Path file;
        try (SummaryWriter tb = new SummaryWriter(dir)) {
            file = tb.file();
            tb.addScalar("train/loss", 0.25, 7);
            tb.addScalars(9, new String[] {"a", "b"}, new double[] {1.5, -2});
            tb.addImage("pic", picture, 11);
            tb.addHistogram("w", new float[] {0, 1, 2, 3, Float.NaN}, 3, 12);
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<DynamicMessage> events = EventFileReader.events(file, schema.event());
        assertEquals(5, events.size());
        assertEquals("brain.Event:2", get(events.get(0), "file_version"));
        assertTrue(Math.abs((double) get(events.get(0), "wall_time") - System.currentTimeMillis() / 1000.0) < 3600);

        assertEquals(7L, get(events.get(1), "step"));
        List<DynamicMessage> loss = values(events.get(1));
        assertEquals("train/loss", get(loss.get(0), "tag"));
        assertEquals(0.25f, get(loss.get(0), "simple_value"));

        List<DynamicMessage> two = values(events.get(2));
        assertEquals(9L, get(events.get(2), "step"));
        assertEquals(List.of("a", "b"), two.stream().map(v -> get(v, "tag")).toList());
        assertEquals(-2f, get(two.get(1), "simple_value"));

        DynamicMessage image = (DynamicMessage) get(values(events.get(3)).get(0), "image");
        assertEquals(3, get(image, "height"));
        assertEquals(5, get(image, "width"));
        assertEquals(3, get(image, "colorspace"));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(((ByteString) get(image, "encoded_image_string"))
                .toByteArray()));
        assertEquals(0x123456, png.getRGB(4, 2) & 0xFFFFFF);

        DynamicMessage histo = (DynamicMessage) get(values(events.get(4)).get(0), "histo");
        assertEquals(0.0, get(histo, "min"));
        assertEquals(3.0, get(histo, "max"));
        assertEquals(4.0, get(histo, "num"));
        assertEquals(6.0, get(histo, "sum"));
        assertEquals(14.0, get(histo, "sum_squares"));
        assertEquals(List.of(1.0, 2.0, 3.0), get(histo, "bucket_limit"));
        assertEquals(List.of(2.0, 1.0, 1.0), get(histo, "bucket"), "buckets (-inf,1], (1,2], (2,3]");
    }

    @Test
    void everyWriterGetsItsOwnFileAndAClosedOneRefuses() throws IOException {
        SummaryWriter a = new SummaryWriter(dir.resolve("run"));
        SummaryWriter b = new SummaryWriter(dir.resolve("run"));
        assertNotEquals(a.file(), b.file());
        a.close();
        b.close();
        a.close();
        assertThrows(IllegalStateException.class, () -> a.addScalar("x", 1, 1));
        try (Stream<Path> files = Files.list(dir.resolve("run"))) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void histogramOfConstantOrNonFiniteValues() {
        Histogram constant = Histogram.of(new float[] {2, 2, 2}, 30);
        assertArrayEquals(new double[] {2}, constant.limits());
        assertArrayEquals(new double[] {3}, constant.counts());
        Histogram none = Histogram.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 30);
        assertEquals(0, none.num());
        assertEquals(0, none.counts().length);
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new float[] {1}, 0));
    }

    static Object get(Message m, String field) {
        Descriptor d = m.getDescriptorForType();
        FieldDescriptor f = d.findFieldByName(field);
        if (f == null) {
            throw new AssertionError(d.getName() + " has no field " + field);
        }
        return m.getField(f);
    }

    @SuppressWarnings("unchecked")
    static List<DynamicMessage> values(DynamicMessage event) {
        return (List<DynamicMessage>) get((DynamicMessage) get(event, "summary"), "value");
    }
}
