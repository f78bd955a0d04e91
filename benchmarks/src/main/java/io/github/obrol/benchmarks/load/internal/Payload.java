package io.github.obrol.benchmarks.load.internal;

import io.netty.buffer.ByteBuf;

/**
 * The message text the load generator sends: {@code ~<id>.<stamp>.<sender>~} (numbers in lower-case hex, so
 * the header fits in 32 bytes for runs of hours) padded with {@code x} to the requested size. The id finds
 * the message's delivery counter, the stamp is the intended send time in
 * nanoseconds since the run's epoch (so latency is measured from when the message should have left, not
 * from when it did: no coordinated omission), the sender index refills that sender's window. The text has
 * no whitespace, so the classic dialect's whitespace collapse (section 5.2) leaves it unchanged.
 */
public final class Payload {
  /** First character of every generated text. */
  public static final byte MARKER = '~';

  private Payload() {}

  /** The text of message {@code id}, at least as long as the header, padded to {@code bytes}. */
  public static String text(long id, long stamp, int sender, int bytes) {
    StringBuilder b = new StringBuilder(Math.max(bytes, 48));
    b.append('~').append(Long.toHexString(id)).append('.').append(Long.toHexString(stamp)).append('.')
        .append(Integer.toHexString(sender)).append('~');
    while (b.length() < bytes) {
      b.append('x');
    }
    return b.toString();
  }

  /**
   * The longest header of a run of at most four hours, a billion messages and 4,096 senders: texts are at
   * least this long, whatever size was asked for.
   */
  public static int minimumBytes() {
    return text(0xFFFF_FFFFL, 0xFFF_FFFF_FFFFL, 0xFFF, 0).length();
  }

  /** A parsed header; fields are valid only if {@link #parse} returned true. */
  public static final class Header {
    /** The message id, which finds its delivery counter. */
    public long id;
    /** The intended send time, in nanoseconds on the tracker's clock. */
    public long stamp;
    /** The index of the sender. */
    public int sender;
  }

  /**
   * Parses the header starting at {@code index} (which holds the marker) of {@code buf}, without copying.
   * Returns false if the bytes there are not a header.
   */
  public static boolean parse(ByteBuf buf, int index, int end, Header out) {
    if (index >= end || buf.getByte(index) != MARKER) {
      return false;
    }
    // Three hex numbers (id, stamp, sender), each ended by its separator: '.', '.', then the marker.
    long id = 0;
    long stamp = 0;
    int i = index + 1;
    for (int field = 0; field < 3; field++) {
      long value = 0;
      int start = i;
      int d;
      while (i < end && (d = hex(buf.getByte(i))) >= 0) {
        value = value << 4 | d;
        i++;
      }
      if (i == start || i >= end || buf.getByte(i) != (field < 2 ? '.' : MARKER)) {
        return false;
      }
      i++;
      if (field == 0) {
        id = value;
      } else if (field == 1) {
        stamp = value;
      } else {
        out.id = id;
        out.stamp = stamp;
        out.sender = (int) value;
      }
    }
    return true;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
