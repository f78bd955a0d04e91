package io.github.obrol.benchmarks.load.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a process's threads used so far, read from Linux's {@code /proc}: CPU time and context switches
 * (voluntary: the thread blocked, mostly to wait for the next event; involuntary: it was preempted), and,
 * for this JVM's own threads whose names start with a prefix, the bytes they allocated. Two snapshots
 * around a measurement give figures per message that depend far less on the machine's load than a rate:
 * a context switch per message is a thread woken up per message, whatever the load.
 *
 * @param cpuNanos CPU time of every thread (from {@code schedstat}), -1 where unknown
 * @param voluntarySwitches voluntary context switches of every thread
 * @param involuntarySwitches involuntary context switches of every thread
 * @param allocatedBytes bytes allocated by this JVM's threads named with the prefix, -1 where unknown
 */
public record Usage(long cpuNanos, long voluntarySwitches, long involuntarySwitches, long allocatedBytes) {
  /** Nothing known (not Linux, or the process is gone). */
  public static final Usage UNKNOWN = new Usage(-1, -1, -1, -1);

  /** The threads of process {@code pid}; {@code UNKNOWN} where {@code /proc} cannot tell. */
  public static Usage ofProcess(long pid) {
    return ofTasks(Path.of("/proc", Long.toString(pid), "task"), null, -1);
  }

  /**
   * This JVM's threads whose names start with {@code threadPrefix} (e.g. an embedded server's event loops),
   * with the bytes they allocated.
   */
  public static Usage ofOwnThreads(String threadPrefix) {
    long allocated = -1;
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx && mx.isThreadAllocatedMemorySupported()) {
      allocated = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith(threadPrefix)) {
          long b = mx.getThreadAllocatedBytes(t.getId());
          allocated += Math.max(0, b);
        }
      }
    }
    // Linux names a Java thread's task after the thread, cut to 15 characters.
    String comm = threadPrefix.length() > 15 ? threadPrefix.substring(0, 15) : threadPrefix;
    return ofTasks(Path.of("/proc/self/task"), comm, allocated);
  }

  private static Usage ofTasks(Path tasks, String commPrefix, long allocated) {
    if (!Files.isDirectory(tasks)) {
      return new Usage(-1, -1, -1, allocated);
    }
    long cpu = 0;
    long voluntary = 0;
    long involuntary = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        try {
          if (commPrefix != null && !Files.readString(task.resolve("comm")).startsWith(commPrefix)) {
            continue;
          }
          String schedstat = Files.readString(task.resolve("schedstat")).trim();
          cpu += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              voluntary += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
              involuntary += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException | RuntimeException e) {
          // The thread ended meanwhile: it no longer counts.
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return new Usage(-1, -1, -1, allocated);
    }
    return new Usage(cpu, voluntary, involuntary, allocated);
  }

  /**
   * Puts the figures of {@code after} minus {@code before} per message and per delivery into {@code r}, each
   * key prefixed with {@code who} (for example {@code server}); nothing for what is unknown.
   */
  public static void put(Map<String, Object> r, String who, Usage before, Usage after, long messages, long deliveries) {
    if (messages <= 0 || deliveries <= 0) {
      return;
    }
    if (before.cpuNanos >= 0 && after.cpuNanos >= 0) {
      long cpu = after.cpuNanos - before.cpuNanos;
      r.put(who + "CpuMicrosPerMessage", LoadRun.round(cpu / 1e3 / messages, 2));
      r.put(who + "CpuNanosPerDelivery", LoadRun.round(cpu / (double) deliveries, 1));
    }
    if (before.voluntarySwitches >= 0 && after.voluntarySwitches >= 0) {
      r.put(who + "VoluntarySwitchesPerMessage",
          LoadRun.round((after.voluntarySwitches - before.voluntarySwitches) / (double) messages, 3));
      r.put(who + "InvoluntarySwitchesPerMessage",
          LoadRun.round((after.involuntarySwitches - before.involuntarySwitches) / (double) messages, 3));
    }
    if (before.allocatedBytes >= 0 && after.allocatedBytes >= 0) {
      long bytes = after.allocatedBytes - before.allocatedBytes;
      r.put(who + "AllocatedBytesPerMessage", LoadRun.round(bytes / (double) messages, 1));
      r.put(who + "AllocatedBytesPerDelivery", LoadRun.round(bytes / (double) deliveries, 1));
    }
  }
}
