package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.ops.ChannelShuffle;
import org.cnn4j.ops.Slices;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Narrow / chunk and ShuffleNet's channel shuffle: values, gradients and argument errors. */
public abstract class ChannelOpsContract extends BackendTestBase {

    @Test
    void narrowAndChunkValues() {
        Tensor x = tensor(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        assertArrayEquals(new float[] {2, 3, 4, 5, 8, 9, 10, 11}, Slices.narrow(x, 1, 1, 2).toFloatArray());
        assertEquals(Shape.of(2, 3, 1), Slices.narrow(x, -1, 1, 1).shape());
        Tensor[] halves = Slices.chunk(tensor(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 1, 4, 2), 2, 1);
        assertArrayEquals(new float[] {0, 1, 2, 3}, halves[0].toFloatArray());
        assertArrayEquals(new float[] {4, 5, 6, 7}, halves[1].toFloatArray());
    }

    @Test
    void narrowAndChunkGradients() {
        GradCheck.check("narrow", in -> Slices.narrow(in[0], 1, 1, 2), param(2, 4, 3, 3));
        GradCheck.check("chunk second half", in -> Slices.chunk(in[0], 2, 1)[1], param(2, 4, 2, 2));
    }

    @Test
    void channelShuffleMatchesPyTorch() {
        // torch.nn.functional.channel_shuffle(torch.arange(6.).view(1, 6, 1, 1), g) for g = 2 and 3
        Tensor x = tensor(new float[] {0, 1, 2, 3, 4, 5}, 1, 6, 1, 1);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, ChannelShuffle.channelShuffle(x, 2).toFloatArray());
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, ChannelShuffle.channelShuffle(x, 3).toFloatArray());
        // spatial positions and images move with their channel
        float[] v = new float[2 * 4 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        float[] out = ChannelShuffle.channelShuffle(tensor(v, 2, 4, 1, 3), 2).toFloatArray();
        int[] order = {0, 2, 1, 3};
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 4; c++) {
                for (int p = 0; p < 3; p++) {
                    assertEquals(v[(n * 4 + order[c]) * 3 + p], out[(n * 4 + c) * 3 + p], "n" + n + " c" + c);
                }
            }
        }
    }

    @Test
    void channelShuffleGradient() {
        GradCheck.check("channel_shuffle g=2", in -> ChannelShuffle.channelShuffle(in[0], 2), param(2, 6, 3, 2));
        GradCheck.check("channel_shuffle g=3", in -> ChannelShuffle.channelShuffle(in[0], 3), param(1, 6, 2, 2));
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        var shuffle = assertThrows(IllegalArgumentException.class,
                () -> ChannelShuffle.channelShuffle(param(1, 6, 2, 2), 4));
        assertTrue(shuffle.getMessage().contains("groups=4") && shuffle.getMessage().contains("6 channels"),
                shuffle.getMessage());
        var narrow = assertThrows(IllegalArgumentException.class, () -> Slices.narrow(param(2, 3), 1, 2, 2));
        assertTrue(narrow.getMessage().contains("[2, 4)") && narrow.getMessage().contains("size 3"),
                narrow.getMessage());
        var chunk = assertThrows(IllegalArgumentException.class, () -> Slices.chunk(param(2, 3), 2, 1));
        assertTrue(chunk.getMessage().contains("2 chunks") && chunk.getMessage().contains("size 3"),
                chunk.getMessage());
    }
}
