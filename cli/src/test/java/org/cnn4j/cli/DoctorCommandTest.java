package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.backend.BackendProvider;
import org.cnn4j.backend.Backends;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {

    @Test
    void jsonNamesEveryCudaPieceAndTheBackendAutoPicks() throws Exception {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new DoctorCommand(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertTrue(report.path("java").path("version").asText().length() > 0, r.out());
        JsonNode cuda = report.path("cuda");
        StringBuilder names = new StringBuilder();
        cuda.path("pieces").forEach(p -> names.append(p.path("name").asText()).append('|'));
        if (cuda.path("pieces").size() > 1) {  // on linux-x86_64 every piece is reported, found or not
            for (String piece : new String[] {"libcuda.so.1", "GPU devices", "libcublas.so.12", "libcudnn.so.9"}) {
                assertTrue(names.toString().contains(piece), piece + " missing from " + names);
            }
        }
        String expected = Backends.providers().stream().filter(BackendProvider::isAvailable).findFirst()
                .map(BackendProvider::name).orElse("none");
        assertEquals(expected, report.path("selection").path("auto_picks").asText());
        assertEquals(cuda.path("available").asBoolean(), cuda.path("reason").asText().isEmpty(), "a reason iff unavailable");
        if (!cuda.path("available").asBoolean()) {
            assertTrue(report.path("selection").path("why").asText().contains(cuda.path("reason").asText()),
                    "the choice names why cuda was passed over: " + report.path("selection"));
        }
    }

    @Test
    void textReportEndsWithTheChoice() {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new DoctorCommand());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("(?s)Java .*\nVector API .*\nCPU .*\nCUDA .*\nauto picks .*"), r.out());
    }
}
