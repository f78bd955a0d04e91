package io.github.obrol.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lettuce is an optional dependency: an embedded single server starts and chats with no Redis client on its class path. */
class SingleServerWithoutLettuceTest {
  /** The child: asserts that Lettuce is absent, then serves on a free port. */
  static final class Child {
    public static void main(String[] args) throws Exception {
      try {
        Class.forName("io.lettuce.core.RedisClient");
        System.out.println("LETTUCE PRESENT");
      } catch (ClassNotFoundException e) {
        System.out.println("LETTUCE ABSENT");
      }
      InetSocketAddress a = ChatServer.builder().bindAddress("127.0.0.1").port(0).build().start().join();
      System.out.println("PORT " + a.getPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the parent closes our input or kills us
      }
      System.exit(0);
    }
  }

  @Test
  void aSingleServerNeedsNoLettuce() throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("lettuce") && !e.contains("reactor") && !e.contains("reactive-streams")
            && !e.contains("redis-authx"))
        .collect(Collectors.joining(File.pathSeparator));
    try (ChildJvm child = ChildJvm.start(classPath, Child.class)) {
      assertEquals("LETTUCE ABSENT", child.output.get(0));
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", child.port);
      try (LineClient ann = LineClient.modern(a, "ann"); LineClient bob = LineClient.modern(a, "bob")) {
        bob.send("SEND hi\n");
        assertEquals("OK SEND", bob.readLine());
        assertEquals(List.of("JOIN bob", "MSG bob hi"), Lines.barrier(ann, "x"));
      }
      assertTrue(child.process.isAlive());
    }
  }
}
