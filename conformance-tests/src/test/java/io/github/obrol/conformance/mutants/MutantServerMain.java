package io.github.obrol.conformance.mutants;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link MutantServer} as a program (for the container launcher test):
 * {@code MutantServerMain --port P [--mutation NAME]}. Runs until killed.
 */
public final class MutantServerMain {
  private MutantServerMain() {}

  public static void main(String[] args) throws Exception {
    int port = 0;
    MutantServer.Mutation mutation = MutantServer.Mutation.NONE;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--port")) {
        port = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--mutation")) {
        mutation = MutantServer.Mutation.valueOf(args[i + 1]);
      } else {
        System.err.println("usage: MutantServerMain --port P [--mutation NAME]");
        System.exit(2);
      }
    }
    MutantServer server = MutantServer.start(mutation, null, port);
    System.out.println("mutant server (" + mutation + ") listening on " + server.address());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
