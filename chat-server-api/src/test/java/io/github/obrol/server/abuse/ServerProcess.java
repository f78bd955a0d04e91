package io.github.obrol.server.abuse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChildServer} in its own JVM: its resident set size (RSS) and its open descriptors are read
 * from {@code /proc/<pid>}, which a server embedded in the test JVM cannot give apart from the clients.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final InetSocketAddress address;

  private ServerProcess(Process process, InetSocketAddress address) {
    this.process = process;
    this.address = address;
  }

  /**
   * Starts a child server with the given JVM heap limit and builder settings; {@code fileLimit} > 0 lowers
   * its descriptor limit ({@code ulimit -n}) before the JVM starts.
   */
  static ServerProcess start(String maxHeap, int fileLimit, String... settings) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvm = new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-Xss512k",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), ChildServer.class.getName()));
    jvm.addAll(List.of(settings));
    List<String> command;
    if (fileLimit > 0) {
      StringBuilder sh = new StringBuilder("ulimit -n " + fileLimit + " && exec");
      for (String a : jvm) {
        sh.append(" '").append(a.replace("'", "'\\''")).append('\'');
      }
      command = List.of("/bin/sh", "-c", sh.toString());
    } else {
      command = jvm;
    }
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    // The child prints its port once it listens; readLine is bounded by the child's exit.
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new IOException("child server did not start: " + line);
    }
    return new ServerProcess(p, new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(5).trim())));
  }

  InetSocketAddress address() {
    return address;
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size in bytes. */
  long rssBytes() {
    return ProcFs.rssBytes(pid());
  }

  /** Open file descriptors of the child. */
  int openFiles() {
    return ProcFs.openFiles(Long.toString(pid()));
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
