package io.github.obrol.benchmarks.load.internal;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes the generator's results (maps, lists, strings, numbers, booleans, null) as indented JSON with jackson-jr. */
public final class Json {
  private static final JSON WRITER = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES);

  private Json() {}

  /** {@code value} as indented JSON, with a final newline. */
  public static String write(Object value) {
    try {
      return WRITER.asString(value) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
