package io.sparkaistore.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * A response body with a read timeout. The JDK's HTTP client times out only the wait for response
 * headers; a body that stops arriving would block its reader forever. While a read is blocked, the
 * {@link StallWatchdog} may abort it after the timeout, and the read then fails with an {@link
 * IOException} that says so (callers treat it as a broken connection).
 */
final class TimedInputStream extends BulkInputStream implements StallWatchdog.Watched {
  private final InputStream body;
  private final long timeoutNanos;
  private volatile long readStartedNanos;
  private volatile boolean timedOut;

  TimedInputStream(InputStream body, long timeoutNanos) {
    this.body = body;
    this.timeoutNanos = timeoutNanos;
    StallWatchdog.INSTANCE.watch(this);
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    readStartedNanos = System.nanoTime();
    try {
      int n = body.read(buf, off, len);
      if (n < 0) {
        StallWatchdog.INSTANCE.unwatch(this);
      }
      return n;
    } catch (IOException e) {
      StallWatchdog.INSTANCE.unwatch(this);
      if (timedOut) {
        throw new IOException("no data for " + timeoutNanos / 1_000_000 + " ms (read timeout)", e);
      }
      throw e;
    } finally {
      readStartedNanos = 0;
    }
  }

  @Override
  public long readStartedNanos() {
    return readStartedNanos;
  }

  @Override
  public long timeoutNanos() {
    return timeoutNanos;
  }

  @Override
  public void abortStalledRead(long startedNanos) {
    if (readStartedNanos == startedNanos) {
      timedOut = true;
      HttpTransport.closeQuietly(body);
    }
  }

  @Override
  public void close() throws IOException {
    StallWatchdog.INSTANCE.unwatch(this);
    body.close();
  }
}
