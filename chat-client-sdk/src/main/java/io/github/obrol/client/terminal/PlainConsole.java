package io.github.obrol.client.terminal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * For scripts: stdin or stdout is not a terminal. No prompts, no colours; chat lines go to stdout, status
 * and errors to stderr, each line flushed at once.
 */
final class PlainConsole implements Console {
  private final BufferedReader in;
  private final PrintStream out;
  private final PrintStream err;

  PlainConsole(InputStream in, PrintStream out, PrintStream err) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = out;
    this.err = err;
  }

  @Override
  public String readLine(String prompt) {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void printChat(Style style, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  @Override
  public void printStatus(Style style, String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }

  @Override
  public void close() {
    out.flush();
    err.flush();
  }
}
