package io.github.obrol.server.abuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The measured figures of the abuse suite: each is printed as {@code [abuse-figure] scenario | what |
 * value} and appended to {@code target/abuse-figures.txt}, which {@code scripts/reliability-figures.sh}
 * turns into the README's table.
 */
final class Figures {
  private static final Path FILE = Path.of("target", "abuse-figures.txt");

  private Figures() {}

  static synchronized void record(String scenario, String what, String value) {
    String line = scenario + " | " + what + " | " + value;
    System.out.println("[abuse-figure] " + line);
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.out.println("[abuse-figure] cannot write " + FILE + ": " + e);
    }
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  static String ms(double millis) {
    return String.format("%.1f ms", millis);
  }
}
