package org.cnn4j.io.tensorboard;

import static org.cnn4j.io.tensorboard.TensorBoardEventsTest.get;
import static org.cnn4j.io.tensorboard.TensorBoardEventsTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.DynamicMessage;
import org.cnn4j.data.Batch;
import org.cnn4j.data.ImageShape;
import org.cnn4j.train.ClassificationMetrics;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.TrainListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardListenerTest {
    @TempDir
    Path dir;

    /** (tag, step, kind) of every value in the file, in order. */
    private static List<String> entries(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        List<DynamicMessage> events = EventFileReader.events(file, ProtoSchema.load().event());
        for (DynamicMessage e : events.subList(1, events.size())) {
            for (DynamicMessage v : values(e)) {
                String kind = v.hasField(v.getDescriptorForType().findFieldByName("image")) ? "image"
                        : v.hasField(v.getDescriptorForType().findFieldByName("histo")) ? "histo"
                        : String.valueOf(get(v, "simple_value"));
                out.add(get(v, "tag") + "@" + get(e, "step") + "=" + kind);
            }
        }
        return out;
    }

    @Test
    void aRunOfTwoEpochsLogsEveryTagAtTheGlobalStep() throws Exception {
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("fc.weight", new float[] {-1, 0, 1});
        Path file;
        Batch batch = new Batch(new float[2 * 4], new int[] {0, 1}, new ImageShape(1, 2, 2));
        try (TensorBoardListener tb = new TensorBoardListener(new SummaryWriter(dir), () -> weights)) {
            file = tb.writer().file();
            TrainListener listener = TrainListener.both(new TrainListener() { }, tb);
            for (int epoch = 0; epoch < 2; epoch++) {
                listener.epochStarted(epoch, 2, 2);
                for (int step = 0; step < 2; step++) {
                    listener.batchLoaded(epoch, step + 1, batch);
                    listener.stepFinished(epoch, step + 1, 2, 10 * epoch + step, 100);
                }
                ClassificationMetrics metrics = new ClassificationMetrics(2);
                metrics.update(new float[] {1, 0, 0, 1}, new int[] {0, 1}, 0.5);
                listener.evaluationStarted(epoch, 1);
                listener.evaluationFinished(epoch, metrics);
                listener.epochFinished(new EpochResult(epoch + 1, 0.01 * (epoch + 1), 1.5, 0.25, 0.5, 0.75, 1, 1, 1));
            }
        }
        assertEquals(List.of(
                "train/sample_batch@1=image", "train/loss@1=0.0", "train/loss@2=1.0",
                "test/confusion_matrix@2=image",
                "train/accuracy@2=25.0", "test/loss@2=0.5", "test/accuracy@2=75.0", "lr@2=0.01",
                "weights/fc.weight@2=histo",
                "train/loss@3=10.0", "train/loss@4=11.0",
                "test/confusion_matrix@4=image",
                "train/accuracy@4=25.0", "test/loss@4=0.5", "test/accuracy@4=75.0", "lr@4=0.02",
                "weights/fc.weight@4=histo"), entries(file));
    }

    @Test
    void withoutWeightsNoHistogram() throws Exception {
        Path file;
        try (TensorBoardListener tb = new TensorBoardListener(new SummaryWriter(dir), null)) {
            file = tb.writer().file();
            tb.epochStarted(0, 1, 1);
            tb.epochFinished(new EpochResult(1, 0.1, 1, 0.5, 1, 0.5, 1, 1, 1));
        }
        assertTrue(entries(file).stream().noneMatch(e -> e.contains("histo")), entries(file).toString());
    }

    @Test
    void confusionMatrixShadesEachCellByItsShareOfTheRowAndWritesCounts() {
        BufferedImage img = SummaryImages.confusionMatrix(new long[][] {{9, 1}, {0, 0}});
        int cell = 48;
        int margin = img.getWidth() - 2 * cell;
        int dark = img.getRGB(margin + 1, margin + 1) & 0xFFFFFF;
        int light = img.getRGB(margin + cell + 1, margin + 1) & 0xFFFFFF;
        int empty = img.getRGB(margin + 1, margin + cell + 1) & 0xFFFFFF;
        assertEquals(0xFFFFFF, empty, "a row without examples is white");
        int darkRed = dark >> 16;
        int lightRed = light >> 16;
        assertTrue(darkRed < lightRed && lightRed < 0xFF, String.format("9/10 darker than 1/10, darker than 0: %06x"
                + " vs %06x", dark, light));
        assertTrue(countColor(img, margin, margin, cell, 0xFFFFFF) > 0, "the count 9 is drawn in white on dark");
        assertTrue(countColor(img, margin + cell, margin, cell, 0x000000) > 0, "the count 1 is drawn in black");
    }

    private static int countColor(BufferedImage img, int x0, int y0, int size, int rgb) {
        int n = 0;
        for (int y = y0; y < y0 + size - 1; y++) {
            for (int x = x0; x < x0 + size - 1; x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void batchGridStretchesEachImageToFullRange() {
        // two 1x2x2 images: values 0..3 and a constant one
        float[] data = {0, 1, 2, 3, 5, 5, 5, 5};
        BufferedImage img = SummaryImages.batchGrid(data, 2, 1, 2, 2);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        int zoom = 32;
        assertEquals(2 + 2 * (2 * zoom + 2), img.getWidth());
        assertEquals(2 + 2 * zoom + 2, img.getHeight());
        int[] px = new int[1];
        assertEquals(0, img.getRaster().getPixel(2, 2, px)[0]);
        assertEquals(255, img.getRaster().getPixel(2 + zoom, 2 + zoom, px)[0]);
        assertEquals(85, img.getRaster().getPixel(2 + zoom, 2, px)[0]);
        assertEquals(0, img.getRaster().getPixel(2 + 2 * zoom + 2, 2, px)[0], "a constant image is black");
    }
}
