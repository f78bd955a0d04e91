package io.github.obrol.conformance.seed;

import io.github.obrol.testkit.SeedPrograms;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Python 2.7 and the original programs for this package's tests: a short name for the shared test kit's {@link SeedPrograms}. */
final class Python2 {
  private Python2() {}

  static Path seedDir() {
    return SeedPrograms.seedDir();
  }

  static Optional<List<String>> command() {
    return SeedPrograms.python2();
  }

  static Optional<Path> server() {
    return SeedPrograms.server();
  }
}
