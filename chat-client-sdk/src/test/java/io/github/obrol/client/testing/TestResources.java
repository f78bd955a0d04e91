package io.github.obrol.client.testing;

import io.github.obrol.client.ChatClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a client test opens (scripted servers, clients, processes), closed after each test in reverse order of
 * opening, as a JUnit extension:
 *
 * <pre>{@code
 * @RegisterExtension final TestResources resources = new TestResources();
 * ScriptedServer server = resources.scripted(ScriptedServer::standardModern);
 * ChatClient client = resources.client(ChatClient.builder().address("127.0.0.1", server.port()).username("alice"));
 * }</pre>
 */
public final class TestResources implements AfterEachCallback {
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** Closes {@code resource} after the test (before what was added earlier); returns it. */
  public synchronized <T extends AutoCloseable> T add(T resource) {
    opened.add(resource);
    return resource;
  }

  /** A scripted server that writes each frame whole, closed after the test. */
  public ScriptedServer scripted(ScriptedServer.Script script) throws IOException {
    return add(new ScriptedServer(script));
  }

  /** A scripted server that writes in chunks of {@code chunkSize} bytes, closed after the test. */
  public ScriptedServer scripted(ScriptedServer.Script script, int chunkSize) throws IOException {
    return add(new ScriptedServer(script, chunkSize));
  }

  /** The client {@code builder} builds, aborted after the test (bounded to 10 s). */
  public ChatClient client(ChatClient.Builder builder) {
    ChatClient client = builder.build();
    add(() -> client.abort().get(10, TimeUnit.SECONDS));
    return client;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<AutoCloseable> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(opened);
      opened.clear();
    }
    Exception first = null;
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
