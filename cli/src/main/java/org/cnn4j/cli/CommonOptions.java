package org.cnn4j.cli;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every computing command shares: {@code --backend} and {@code --verbose}. */
final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--backend", description = "auto, cpu or cuda (default: -Dcnn4j.backend, else CNN4J_BACKEND,"
            + " else auto)")
    String backend;

    @Mixin
    VerboseOption verbose;

    /** An unknown backend name is a usage error (exit code 2), found before any work starts. */
    void check() {
        OptionChecks.backend(spec, backend);
    }

    /** The backend asked for; creating one that cannot run here fails with what is missing. */
    Backend resolve() {
        return Backends.resolve(backend);
    }
}
