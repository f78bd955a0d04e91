package io.github.obrol.server.cluster;

import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reading helpers for the cluster tests; every wait is bounded by {@link LineClient#WAIT} per line. */
final class Lines {
  private Lines() {}

  /** The lines read up to and including the first that equals {@code last} (at most 100,000 lines). */
  static List<String> upTo(LineClient c, String last) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      String l = c.readLine();
      out.add(l);
      if (l.equals(last)) {
        return out;
      }
    }
    throw new AssertionError("no line " + last + " in 100,000");
  }

  /** A PING round trip: the events that arrived before its reply (the reply itself not included). */
  static List<String> barrier(LineClient c, String token) throws IOException {
    c.send("PING " + token + "\n");
    List<String> lines = upTo(c, "OK PING " + token);
    return lines.subList(0, lines.size() - 1);
  }
}
