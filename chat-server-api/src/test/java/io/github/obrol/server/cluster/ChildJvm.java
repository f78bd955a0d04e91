package io.github.obrol.server.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A test's child JVM running a main class of this package; it prints {@code PORT <n>} when it listens. */
final class ChildJvm implements AutoCloseable {
  final Process process;
  final int port;
  final List<String> output;

  private ChildJvm(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  static ChildJvm start(String classPath, Class<?> main, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", classPath, main.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        for (String l; (l = out.readLine()) != null; ) {
          lines.add(l);
          if (l.startsWith("PORT ")) {
            return Integer.parseInt(l.substring(5).trim());
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      throw new IllegalStateException("the child ended without listening: " + lines);
    });
    try {
      return new ChildJvm(p, port.get(60, TimeUnit.SECONDS), lines);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** SIGKILL (Process.destroyForcibly on Linux), waiting for the end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
