package io.sparkaistore.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.OptionalLong;

/**
 * The bytes of an object, or of a range of it, from one GET. When the connection breaks mid-stream
 * (an I/O error, or the body ending short of its announced length) the stream asks AIS for the rest
 * with a {@code Range} starting at the next unread byte, so callers never see a short, restarted or
 * duplicated stream. A resumed response must describe the same object version and checksum, or the
 * read fails instead of splicing two versions together.
 */
public final class ObjectReadStream extends InputStream implements StallWatchdog.Watched {
  private final AisClient client;
  private final AisBucket bucket;
  private final String object;
  private final ObjectProps props;
  private final long end; // exclusive, absolute offset in the object
  private volatile InputStream body;
  private volatile long readStartedNanos;
  private volatile boolean stalled;
  private long position; // absolute offset of the next byte to return
  private int resumes;
  private boolean closed;

  private ObjectReadStream(
      AisClient client, AisBucket bucket, String object, HttpResponse<InputStream> first, long start,
      boolean resumable) {
    this.client = client;
    this.bucket = bucket;
    this.object = object;
    this.body = first.body();
    this.position = start;
    long length = first.headers().firstValueAsLong("Content-Length").orElse(-1);
    this.end = length < 0 || !resumable ? -1 : start + length;
    this.props = ObjectProps.fromHeaders(first.headers(), totalSize(first, length));
    StallWatchdog.INSTANCE.watch(this);
  }

  /** GETs the object from {@code offset}, {@code length} bytes (or to its end when length is -1). */
  static ObjectReadStream open(AisClient client, AisBucket bucket, String object, long offset, long length)
      throws AisException {
    AisRequest request = client.objectGet(bucket, object);
    if (length == 0) {
      throw new IllegalArgumentException("A range read of 0 bytes has nothing to fetch (" + object + ")");
    }
    if (offset > 0 || length > 0) {
      request.header("Range", rangeHeader(offset, length < 0 ? -1 : offset + length));
    }
    return new ObjectReadStream(client, bucket, object, client.transport().send(request), offset, true);
  }

  /**
   * GETs the object as transformed by an inline ETL. Its output's length is unknown in advance and
   * ranges of it are not addressable, so a broken transfer fails instead of resuming.
   */
  static ObjectReadStream openTransformed(AisClient client, AisBucket bucket, String object, Etl etl)
      throws AisException {
    AisRequest request = client.objectGet(bucket, object);
    etl.addTo(request);
    return new ObjectReadStream(client, bucket, object, client.transport().send(request), 0, false);
  }

  private static long totalSize(HttpResponse<InputStream> response, long contentLength) {
    // "Content-Range: bytes a-b/total" on a 206; the body is the whole object on a 200.
    OptionalLong total =
        response
            .headers()
            .firstValue("Content-Range")
            .map(v -> v.substring(v.lastIndexOf('/') + 1))
            .filter(v -> !v.equals("*"))
            .map(v -> OptionalLong.of(Long.parseLong(v)))
            .orElse(OptionalLong.empty());
    return response.statusCode() == 206 ? total.orElse(-1) : contentLength;
  }

  private static String rangeHeader(long from, long toExclusive) {
    return "bytes=" + from + "-" + (toExclusive < 0 ? "" : String.valueOf(toExclusive - 1));
  }

  /** The object's properties from the response headers; {@code size()} is the whole object's size. */
  public ObjectProps props() {
    return props;
  }

  /** How many times the stream was resumed after a broken connection. */
  public int resumes() {
    return resumes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("Stream of " + bucket + "/" + object + " is closed");
    }
    if (len == 0) {
      return 0;
    }
    while (true) {
      int n;
      long start = System.nanoTime();
      readStartedNanos = start;
      try {
        n = body.read(buf, off, len);
      } catch (IOException e) {
        resume(stalled ? new IOException("no data for " + timeoutNanos() / 1_000_000 + " ms (read timeout)", e) : e);
        continue;
      } finally {
        readStartedNanos = 0;
        client.stats().countFetchNanos(System.nanoTime() - start);
      }
      if (n < 0) {
        if (end >= 0 && position < end) {
          resume(new EOFException("the body ended at byte " + position + " of " + end));
          continue;
        }
        return -1;
      }
      position += n;
      client.stats().countBytes(n);
      return n;
    }
  }

  @Override
  public long readStartedNanos() {
    return readStartedNanos;
  }

  @Override
  public long timeoutNanos() {
    return client.transport().config().readTimeout().toNanos();
  }

  @Override
  public void abortStalledRead() {
    stalled = true;
    closeQuietly(body);
  }

  private void resume(IOException cause) throws AisException {
    closeQuietly(body);
    stalled = false;
    int maxAttempts = client.transport().config().maxAttempts();
    if (end < 0 || ++resumes >= maxAttempts) {
      close();
      throw new AisException(
          "The read broke at byte " + position + (end < 0 ? " (length unknown, cannot resume)" : " of " + end)
              + " after " + resumes + " resume(s): " + cause,
          bucket.toString(), object, cause);
    }
    client.stats().countRetry();
    try {
      client.transport().config().backoff().sleepBefore(resumes);
    } catch (java.io.InterruptedIOException e) {
      throw new AisException("Interrupted while resuming the read", bucket.toString(), object, e);
    }
    HttpResponse<InputStream> next =
        client.transport().send(client.objectGet(bucket, object).header("Range", rangeHeader(position, end)));
    body = next.body();
    String contentRange = next.headers().firstValue("Content-Range").orElse("");
    ObjectProps now = ObjectProps.fromHeaders(next.headers(), -1);
    if (next.statusCode() != 206 || !contentRange.startsWith("bytes " + position + "-")) {
      closeQuietly(body);
      throw new AisException(
          "Resuming at byte " + position + " returned " + next.statusCode() + " '" + contentRange
              + "' instead of the requested range", bucket.toString(), object, cause);
    }
    if (!props.sameContentAs(now)) {
      closeQuietly(body);
      throw new AisException(
          "The object changed while being read (version " + props.version() + " -> " + now.version()
              + "); read it again", bucket.toString(), object, cause);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      StallWatchdog.INSTANCE.unwatch(this);
      closeQuietly(body);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // The connection is being abandoned; there is nothing left to read from it.
    }
  }
}
