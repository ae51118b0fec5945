package io.sparkaistore.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of an object, or of a range of it, from one GET. When the connection breaks mid-stream
 * (an I/O error, a read timeout, or the body ending short of its announced length) the stream asks AIS
 * for the rest with a {@code Range} starting at the next unread byte, so callers never see a short,
 * restarted or duplicated stream. Every range answer is checked to start where it was asked to, and a
 * resumed one must describe the same object version and checksum, or the read fails instead of
 * splicing two versions together.
 */
public final class ObjectReadStream extends BulkInputStream {
  private final AisClient client;
  private final AisBucket bucket;
  private final String object;
  private final ObjectProps props;
  private final long end; // exclusive, absolute offset in the object; -1 when not resumable
  private InputStream body;
  private long position; // absolute offset of the next byte to return
  private int resumes;
  private int failuresSinceProgress;
  private boolean closed;

  private ObjectReadStream(
      AisClient client, AisBucket bucket, String object, AisResponse first, long start,
      boolean resumable) throws AisException {
    this.client = client;
    this.bucket = bucket;
    this.object = object;
    this.body = first.body();
    this.position = start;
    try {
      long length = first.headers().firstValueAsLong("Content-Length").orElse(-1);
      this.end = length < 0 || !resumable ? -1 : start + length;
      this.props = ObjectProps.fromHeaders(first.headers(), totalSize(first, length));
    } catch (RuntimeException e) {
      HttpTransport.closeQuietly(body);
      throw new AisException("Unreadable response headers: " + e, bucket.toString(), object, e);
    }
  }

  /** GETs the object from {@code offset}, {@code length} bytes (or to its end when length is -1). */
  static ObjectReadStream open(AisClient client, AisBucket bucket, String object, long offset, long length)
      throws AisException {
    if (offset < 0 || length < -1 || length == 0) {
      throw new IllegalArgumentException(
          "Invalid range for " + object + ": offset " + offset + " (>= 0), length " + length + " (> 0 or -1)");
    }
    AisRequest request = client.objectGet(bucket, object);
    boolean ranged = offset > 0 || length > 0;
    if (ranged) {
      request.header("Range", rangeHeader(offset, length < 0 ? -1 : offset + length));
    }
    AisResponse response = client.transport().send(request);
    if (ranged) {
      checkRangeAnswer(response, offset, bucket, object);
    }
    return new ObjectReadStream(client, bucket, object, response, offset, true);
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

  /** A range request must be answered with that range: 206, starting at the requested byte. */
  private static void checkRangeAnswer(AisResponse response, long offset, AisBucket bucket,
      String object) throws AisException {
    String contentRange = response.headers().firstValue("Content-Range").orElse("");
    if (response.statusCode() != 206 || !contentRange.startsWith("bytes " + offset + "-")) {
      HttpTransport.closeQuietly(response.body());
      throw new AisException(
          "A range from byte " + offset + " was answered with " + response.statusCode() + " '" + contentRange
              + "' instead of that range", bucket.toString(), object, null);
    }
  }

  private static long totalSize(AisResponse response, long contentLength) {
    if (response.statusCode() != 206) {
      return contentLength; // the body is the whole object
    }
    // "Content-Range: bytes a-b/total"
    String total = response.headers().firstValue("Content-Range").map(v -> v.substring(v.lastIndexOf('/') + 1))
        .orElse("*");
    return total.equals("*") ? -1 : Long.parseLong(total);
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
      try {
        n = body.read(buf, off, len);
      } catch (IOException e) {
        resume(e);
        continue;
      } finally {
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
      failuresSinceProgress = 0;
      client.stats().countBytes(n);
      return n;
    }
  }

  private void resume(IOException cause) throws AisException {
    HttpTransport.closeQuietly(body);
    int maxAttempts = client.transport().config().maxAttempts();
    if (end < 0 || ++failuresSinceProgress >= maxAttempts) {
      close();
      throw new AisException(
          "The read broke at byte " + position + (end < 0 ? " and cannot be resumed" : " of " + end)
              + " (" + failuresSinceProgress + " failure(s) in a row): " + cause,
          bucket.toString(), object, cause);
    }
    resumes++;
    client.stats().countRetry();
    try {
      client.transport().config().backoff().sleepBefore(failuresSinceProgress);
      AisResponse next =
          client.transport().send(client.objectGet(bucket, object).header("Range", rangeHeader(position, end)));
      checkRangeAnswer(next, position, bucket, object);
      body = next.body();
      ObjectProps now = ObjectProps.fromHeaders(next.headers(), -1);
      if (!props.sameContentAs(now)) {
        throw new AisException(
            "The object changed while being read (version " + props.version() + " -> " + now.version()
                + "); read it again", bucket.toString(), object, cause);
      }
    } catch (AisException | java.io.InterruptedIOException e) {
      close();
      throw e instanceof AisException ? (AisException) e
          : new AisException("Interrupted while resuming the read", bucket.toString(), object, e);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      HttpTransport.closeQuietly(body);
    }
  }
}
