package io.github.obrol.server.abuse;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What Linux's /proc says about a process: its resident set size and its open descriptors. */
final class ProcFs {
  private ProcFs() {}

  /** Resident set size in bytes (VmRSS of /proc/pid/status); -1 if the process is gone. */
  static long rssBytes(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException gone) {
      // the process ended
    }
    return -1;
  }

  /** Open file descriptors of {@code pid} ("self" for this JVM); -1 if the process is gone. */
  static int openFiles(String pid) {
    String[] fds = new File("/proc/" + pid + "/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /** Samples a process's RSS every {@code periodMillis} (a timer, not a synchronisation) and keeps the peak. */
  static final class RssPeak implements AutoCloseable {
    private final long before;
    private final AtomicLong peak;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    RssPeak(long pid, long periodMillis) {
      before = rssBytes(pid);
      peak = new AtomicLong(before);
      sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(rssBytes(pid), Math::max), 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    long before() {
      return before;
    }

    long peak() {
      return peak.get();
    }

    long growth() {
      return peak.get() - before;
    }

    /** "before / peak / growth" in MiB. */
    String describe() {
      return Figures.mib(before) + " / " + Figures.mib(peak()) + " / " + Figures.mib(growth());
    }

    @Override
    public void close() {
      sampler.shutdownNow();
    }
  }
}
