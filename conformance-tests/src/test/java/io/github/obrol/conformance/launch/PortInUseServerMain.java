package io.github.obrol.conformance.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A server command for the launcher tests that finds its port in use on its first launches: {@code LOG PORT N}
 * appends "launch K on port PORT" to LOG (K counts the launches by the lines already there); launches 1 to N then
 * really collide (they bind PORT twice, so the message is the system's own) and exit 1, later ones listen on PORT
 * until stopped. With {@code LOG PORT fail TEXT} every launch prints TEXT and exits 2 without binding.
 */
public final class PortInUseServerMain {
  private PortInUseServerMain() {}

  /**
   * Runs the command.
   *
   * @param args {@code LOG PORT N} or {@code LOG PORT fail TEXT}
   */
  public static void main(String[] args) throws IOException {
    Path log = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int launch = (Files.exists(log) ? Files.readAllLines(log).size() : 0) + 1;
    Files.writeString(log, "launch " + launch + " on port " + port + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (args[2].equals("fail")) {
      System.out.println("launch " + launch + ": " + args[3]);
      System.exit(2);
    }
    if (launch <= Integer.parseInt(args[2])) {
      try (ServerSocket first = new ServerSocket(); ServerSocket second = new ServerSocket()) {
        first.setReuseAddress(false);
        second.setReuseAddress(false);
        first.bind(new InetSocketAddress(port));
        second.bind(new InetSocketAddress(port));
        System.out.println("launch " + launch + " on port " + port + ": bound twice, which the system should refuse");
      } catch (IOException e) {
        System.out.println("launch " + launch + " on port " + port + ": " + e);
      }
      System.exit(1);
    }
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(port));
      System.out.println("launch " + launch + ": listening on " + port);
      while (true) {
        Socket s = server.accept();
        s.close(); // the launcher's readiness probe
      }
    }
  }
}
