package io.sparkaistore.wds;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Inflater;

/**
 * The raw bytes of a zip archive, each with its offset. Headers are parsed in place from the
 * buffer; the inflater is fed from it, so that the bytes after a deflate stream stay here for the
 * next header; the search for a stored member's data descriptor looks ahead in it.
 */
final class ZipInput {
  /**
   * Holds any fixed-size header and a descriptor's look-ahead; larger reads bypass the buffer once
   * it is empty.
   */
  static final int CAPACITY = 64 * 1024;

  private final InputStream in;
  private final byte[] buf = new byte[CAPACITY];
  private int pos;
  private int limit;
  private long base; // the stream offset of buf[0]

  ZipInput(InputStream in) {
    this.in = in;
  }

  /** The stream offset of the next unread byte. */
  long position() {
    return base + pos;
  }

  int available() {
    return limit - pos;
  }

  void consume(int n) {
    pos += n;
  }

  /**
   * Buffers {@code n} (at most {@link #CAPACITY}) unread bytes; false when the stream ends first.
   */
  boolean ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    compact(); // moves fewer than n bytes
    while (limit < n) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        return false;
      }
      limit += r;
    }
    return true;
  }

  private void compact() {
    System.arraycopy(buf, pos, buf, 0, limit - pos);
    base += pos;
    limit -= pos;
    pos = 0;
  }

  /**
   * Reads like {@link InputStream#read(byte[], int, int)}; a large read with nothing buffered goes
   * straight to the stream.
   */
  int read(byte[] b, int off, int len) throws IOException {
    if (pos == limit) {
      if (len >= CAPACITY) {
        int r = in.read(b, off, len);
        base += Math.max(r, 0); // keeps position() = base + pos with nothing buffered
        return r;
      }
      if (!ensure(1)) {
        return -1;
      }
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  /** The next {@code n} bytes in a new array, or null when the stream ends first. */
  byte[] readBytes(int n) throws IOException {
    byte[] b = new byte[n];
    for (int done = 0; done < n; ) {
      int r = read(b, done, n - done);
      if (r < 0) {
        return null;
      }
      done += r;
    }
    return b;
  }

  /** Skips up to {@code n} bytes; fewer only at the end of the stream. */
  long skip(long n) throws IOException {
    long done = 0;
    while (done < n && ensure(1)) {
      int k = (int) Math.min(limit - pos, n - done);
      pos += k;
      done += k;
    }
    return done;
  }

  /**
   * Hands the inflater up to {@code max} buffered bytes (it may keep a reference); the caller
   * consumes what it used.
   */
  int feed(Inflater inflater, long max) {
    int n = (int) Math.min(limit - pos, max);
    inflater.setInput(buf, pos, n);
    return n;
  }

  /**
   * How many buffered bytes come before the first data descriptor signature ("PK\7\10"), or before
   * the last three buffered bytes (which may start one) when there is none.
   */
  int distanceToDescriptor() {
    int end = limit - 3;
    for (int i = pos; i < end; i++) {
      if (buf[i] == 'P' && buf[i + 1] == 'K' && buf[i + 2] == 7 && buf[i + 3] == 8) {
        return i - pos;
      }
    }
    return Math.max(end - pos, 0);
  }

  /** The unsigned 16-bit little-endian field {@code at} bytes past the read position. */
  int u16(int at) {
    return ZipFields.u16(buf, pos + at);
  }

  long u32(int at) {
    return ZipFields.u32(buf, pos + at);
  }

  long u64(int at) {
    return ZipFields.u64(buf, pos + at);
  }
}
