package org.cnn4j.cli;

import static org.cnn4j.cli.CliRun.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default model on every dataset, image sizes, and the schedule on very short runs. */
class TrainDataShapesTest {
    @TempDir
    Path tmp;

    @Test
    void theDefaultModelTrainsOnCifar10() throws IOException {
        Path data = CliRun.cifar(tmp.resolve("cifar"), 20);
        CliRun r = train("--dataset", "cifar10", "--data", data.toString(), "--epochs", "1", "--out",
                tmp.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(tmp.resolve("run/last.safetensors")));
    }

    @Test
    void theDefaultModelTrainsOnAnImageFolderAndResumesWithItsImageSize() throws IOException {
        Path data = CliRun.imageFolder(tmp.resolve("folder"), 2, 8, 20);
        Path out = tmp.resolve("run");
        CliRun r = train("--dataset", "folder", "--data", data.toString(), "--image-size", "16", "--epochs", "2",
                "--stop-after", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        CliRun resumed = CliRun.run("train", "--resume", out.resolve("last.safetensors").toString(), "--data",
                data.toString(), "--backend", "cpu");
        assertEquals(0, resumed.code(), "the resumed run uses --image-size 16 again: " + resumed.err());
        CliRun other = CliRun.run("train", "--resume", out.resolve("last.safetensors").toString(), "--data",
                data.toString(), "--backend", "cpu", "--image-size", "24");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("image_size 24 instead of 16"), other.err());
    }

    @Test
    void aHugeImageSizeIsAUsageError() {
        CliRun r = train("--dataset", "folder", "--data", tmp.toString(), "--image-size", "30000", "--out",
                tmp.resolve("run").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--image-size must be at most 4096, got 30000"), r.err());
        CliRun batch = train("--dataset", "folder", "--data", tmp.toString(), "--image-size", "4096",
                "--batch-size", "64", "--out", tmp.resolve("run").toString());
        assertEquals(2, batch.code(), batch.err());
        assertTrue(batch.err().contains("more than one Java array holds"), batch.err());
        assertFalse(batch.err().contains("NegativeArraySize"), batch.err());
    }

    @Test
    void oneCycleRunsWithTwoAndThreeStepsInAll() {
        for (String images : new String[] {"64", "96"}) {
            CliRun r = train("--limit-train", images, "--epochs", "1", "--schedule", "onecycle", "--out",
                    tmp.resolve("run" + images).toString());
            assertEquals(0, r.code(), images + " images of batch 32: " + r.err());
        }
    }
}
