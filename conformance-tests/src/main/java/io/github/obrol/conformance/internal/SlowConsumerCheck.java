package io.github.obrol.conformance.internal;

import static io.github.obrol.conformance.internal.CheckContext.require;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.LeaveReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * GEN-LIMIT-5: a logged-in client that reads nothing while another floods broadcasts must be disconnected
 * with SLOW_CONSUMER and depart with that reason, and an observer that reads must receive every broadcast.
 * The flood is bounded by {@code floodBytes}; it runs last because it loads the server for everyone.
 */
final class SlowConsumerCheck {
  private SlowConsumerCheck() {}

  static void run(CheckContext ctx) throws Exception {
    long budget = ctx.run().options().floodBytes();
    if (budget <= 0) {
      throw CheckContext.skip("the flood is disabled (--flood-bytes 0)");
    }
    Peer observer = ctx.user("o");
    Peer sender = ctx.user("s");
    String slowName = ctx.name("slow");
    Socket tcp = new Socket();
    tcp.setReceiveBufferSize(4096);
    try (Socket slow = Transport.open(tcp, ctx.run().address(), ctx.run().options().security(),
        ctx.run().options().connectTimeout())) {
      ctx.transcript().note("SLOW", "connected; it logs in and then reads nothing");
      String login = ctx.dialect() == Dialect.MODERN ? "LOGIN " + slowName + "\n" : slowName + " says " + slowName + "\n";
      OutputStream out = slow.getOutputStream();
      out.write(login.getBytes(StandardCharsets.UTF_8));
      out.flush();
      ctx.transcript().sent("SLOW", login.getBytes(StandardCharsets.UTF_8));
      Expect.awaitThenBarrier(observer, Expect.join(slowName), ctx.timeouts().reply());
      sender.barrier();

      String text = GeneralChecks.fill(Math.min(2000, ctx.maxLineLength() - 100), 'f');
      byte[] line = (sender.line("SEND " + text, "sendall " + text) + "\n").getBytes(StandardCharsets.UTF_8);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger sent = new AtomicInteger();
      AtomicReference<Exception> writeError = new AtomicReference<>();
      int base = observer.wire().receivedCount();
      Duration wait = ctx.maxWait();
      Thread flooder = new Thread(() -> {
        try {
          long bytes = 0;
          byte[] batch = repeat(line, 16);
          while (!stop.get() && bytes < budget) {
            sender.wire().sendNowQuietly(batch);
            bytes += batch.length;
            sent.addAndGet(16);
            // Never outrun the reading observer by more than a few batches: only the client that does not
            // read should fall behind, so a server that bounds every queue disconnects only that one.
            if (!observer.wire().awaitReceivedCount(base + sent.get() - 64, wait)) {
              break;
            }
          }
        } catch (Exception e) {
          writeError.set(e);
        }
      }, "obrol-conformance-flood");
      flooder.setDaemon(true);
      flooder.start();
      // The observer reads all along; wait for the slow user's departure while the flood runs.
      List<Received> seen = observer.wire().until(r -> observer.relevant(r) && Expect.leave(slowName).test(r), wait);
      boolean departed = seen.stream().anyMatch(Expect.leave(slowName));
      stop.set(true);
      flooder.join(wait.toMillis());
      ctx.transcript().note(sender.label(), "flooded " + sent.get() + " broadcasts of " + line.length + " bytes");
      require(departed, "the slow user " + slowName + " to be disconnected (SLOW_CONSUMER) and its departure announced"
              + " within " + wait.toMillis() + " ms of a flood of up to " + budget + " bytes",
          "no departure after " + sent.get() + " broadcasts (" + (long) sent.get() * line.length + " bytes)"
              + (writeError.get() != null ? "; the sender's writes failed: " + writeError.get() : ""));
      if (ctx.dialect() == Dialect.MODERN) {
        Received leave = seen.stream().filter(Expect.leave(slowName)).findFirst().orElseThrow();
        LeaveReason reason = ((Event.UserLeft) leave.message()).reason();
        require(reason == LeaveReason.SLOW_CONSUMER, "the departure's reason SLOW_CONSUMER", leave.wire());
      }
      // Every broadcast reaches the observer, which reads: the slow client never costs others a message.
      List<Received> rest = Expect.awaitThenBarrier(observer, r -> false, Duration.ZERO);
      sender.wire().until(r -> false, Duration.ZERO);
      long got = seen.stream().filter(Expect.messageFrom(sender.name())).count();
      sender.barrier();
      rest.addAll(observer.barrier());
      got += rest.stream().filter(Expect.messageFrom(sender.name())).count();
      require(got == sent.get(), "the observer, which reads, to receive all " + sent.get() + " broadcasts",
          "it received " + got);
      slow.setSoTimeout((int) ctx.timeouts().reply().toMillis());
      require(drainsToEnd(slow.getInputStream(), budget * 2), "the slow client's connection to be closed",
          "it stayed open");
    }
  }

  private static boolean drainsToEnd(InputStream in, long limit) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
        if (total > limit) {
          return false;
        }
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset: closed as well
    }
  }

  private static byte[] repeat(byte[] line, int times) {
    byte[] out = new byte[line.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(line, 0, out, i * line.length, line.length);
    }
    return out;
  }
}
