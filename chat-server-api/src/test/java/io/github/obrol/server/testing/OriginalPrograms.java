package io.github.obrol.server.testing;

import io.github.obrol.testkit.SeedPrograms;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The original Python 2.7 programs, for the server's tests: a short name for {@link SeedPrograms} of the shared test
 * kit (the tmux driver is {@link io.github.obrol.testkit.Tmux}).
 */
public final class OriginalPrograms {
  private OriginalPrograms() {}

  /** See {@link SeedPrograms#seedDir()}. */
  public static Path seedDir() {
    return SeedPrograms.seedDir();
  }

  /** See {@link SeedPrograms#client()}. */
  public static Optional<Path> client() {
    return SeedPrograms.client();
  }

  /** See {@link SeedPrograms#python2()}. */
  public static Optional<List<String>> python2() {
    return SeedPrograms.python2();
  }

  /** See {@link SeedPrograms#hasTmux()}. */
  public static boolean hasTmux() {
    return SeedPrograms.hasTmux();
  }
}
