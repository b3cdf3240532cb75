package org.cnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failure paths of {@link AtomicFiles}: errors name the file, and killed writes can be cleaned up. */
class AtomicFilesLeftoversTest {
    @TempDir
    Path dir;

    private long filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void aFullDiskNamesTheFileAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("last.safetensors");
        Files.writeString(target, "old");
        // what FileChannel.write throws on ENOSPC: an IOException whose message names no file
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(target, ch -> {
            throw new IOException("No space left on device");
        }));
        assertEquals(target.toString(), e.getFile());
        assertEquals("No space left on device", e.getReason());
        assertTrue(e.getMessage().contains("last.safetensors"), e.getMessage());
        assertEquals("old", Files.readString(target), "the target is untouched");
        assertEquals(1, filesIn(dir), "the temp file is removed");
    }

    @Test
    void leftoversOfAKilledWriteAreRemovedAndNothingElse() throws IOException {
        Path target = dir.resolve("last.safetensors");
        // what a write killed between creating and renaming its temp file leaves behind
        Path stale = Files.createTempFile(dir, ".last.safetensors", ".tmp");
        Path other = Files.createTempFile(dir, ".best.safetensors", ".tmp");
        Path unrelated = Files.writeString(dir.resolve("notes.tmp"), "mine");
        List<Path> removed = AtomicFiles.removeLeftovers(target);
        assertEquals(List.of(stale), removed);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(other), "another target's temp files are left alone");
        assertTrue(Files.exists(unrelated));
    }
}
