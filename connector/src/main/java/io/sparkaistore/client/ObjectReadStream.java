package io.sparkaistore.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of an object, or of a range of it, from one GET. When the connection breaks mid-stream
 * (an I/O error, a read timeout, or the body ending short of its announced length) the stream asks
 * AIS for the rest with a {@code Range} starting at the next unread byte, so callers never see a
 * short, restarted or duplicated stream. Every range answer is checked to start where it was asked
 * to, and a resumed one must describe the same object version and checksum, or the read fails
 * instead of splicing two versions together. Retries, the first request's included, share one
 * {@link RetryBudget}, renewed whenever bytes arrive.
 *
 * <p>A target that leaves the cluster map (killed, restarting) takes its objects with it: AIS then
 * routes their GETs to another target, which answers 404. So a 404 from a node other than the one
 * that served the stream, or than the target a listing placed the object on, is taken for that
 * target being away and retried within the budget; only the node that holds an object can say it is
 * gone.
 */
public final class ObjectReadStream extends BulkInputStream {
  private final AisClient client;
  private final AisBucket bucket;
  private final String object;
  private final String listedOn; // the ID of the target a listing placed the object on, or null
  private final ObjectProps props;
  private final long end; // exclusive, absolute offset in the object; -1 when not resumable
  private final RetryBudget budget;
  private InputStream body;
  private Hop servedBy;
  private long position; // absolute offset of the next byte to return
  private int resumes;
  private boolean broken; // failed since the last bytes arrived
  private boolean closed;

  private ObjectReadStream(
      AisClient client,
      AisBucket bucket,
      String object,
      String listedOn,
      AisResponse first,
      long start,
      boolean resumable,
      RetryBudget budget)
      throws AisException {
    this.client = client;
    this.bucket = bucket;
    this.object = object;
    this.listedOn = listedOn;
    this.budget = budget;
    this.body = first.body();
    this.servedBy = first.hop();
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

  /**
   * GETs the object from {@code offset}, {@code length} bytes (or to its end when length is -1);
   * {@code listedOn} is the ID of the target a listing placed it on, or null.
   */
  static ObjectReadStream open(
      AisClient client, AisBucket bucket, String object, long offset, long length, String listedOn)
      throws AisException {
    if (offset < 0 || length < -1 || length == 0) {
      throw new IllegalArgumentException(
          "Invalid range for "
              + object
              + ": offset "
              + offset
              + " (>= 0), length "
              + length
              + " (> 0 or -1)");
    }
    AisRequest request = client.objectGet(bucket, object);
    long to = length < 0 ? -1 : offset + length;
    if (offset > 0 || length > 0) {
      request.header("Range", rangeHeader(offset, to));
    }
    RetryBudget budget = client.transport().newBudget();
    AisResponse response = fetch(client, request, offset, listedOn, null, budget);
    return new ObjectReadStream(client, bucket, object, listedOn, response, offset, true, budget);
  }

  /**
   * GETs the object as transformed by an inline ETL. Its output's length is unknown in advance and
   * ranges of it are not addressable, so a broken transfer fails instead of resuming.
   */
  static ObjectReadStream openTransformed(
      AisClient client, AisBucket bucket, String object, Etl etl) throws AisException {
    AisRequest request = client.objectGet(bucket, object);
    etl.addTo(request);
    RetryBudget budget = client.transport().newBudget();
    return new ObjectReadStream(
        client, bucket, object, null, client.transport().send(request, budget), 0, false, budget);
  }

  /**
   * Sends a GET of the object, ranged when it has a {@code Range} header, and waits out a 404 that
   * says the node holding the object is away ({@code listedOn}, {@code servedBy}: who holds it).
   */
  private static AisResponse fetch(
      AisClient client,
      AisRequest request,
      long from,
      String listedOn,
      Hop servedBy,
      RetryBudget budget)
      throws AisException {
    while (true) {
      try {
        AisResponse response = client.transport().send(request, budget);
        if (request.headers.containsKey("Range")) {
          checkRangeAnswer(response, from, request);
        }
        return response;
      } catch (AisException e) {
        if (!holderAway(e, listedOn, servedBy)) {
          throw e;
        }
        if (!client.transport().awaitRetry(request, budget)) {
          throw holderGone(e, request, listedOn, servedBy, budget);
        }
      }
    }
  }

  /** Whether a 404 came from a node other than the one known to hold the object. */
  static boolean holderAway(AisException e, String listedOn, Hop servedBy) {
    if (!e.isNotFound()) {
      return false;
    }
    return (listedOn != null && e.aisNodeId() != null && !listedOn.equals(e.aisNodeId()))
        || (servedBy != null && e.node() != null && !servedBy.authority().equals(e.node()));
  }

  private static AisException holderGone(
      AisException notFound,
      AisRequest request,
      String listedOn,
      Hop servedBy,
      RetryBudget budget) {
    String holder =
        servedBy != null ? "was being read from " + servedBy : "was listed on target " + listedOn;
    return AisException.failed(
        "The object "
            + holder
            + ", but node "
            + notFound.node()
            + " ("
            + notFound.aisNodeId()
            + ") answers that it does not exist, as AIS does while the target holding an object is out of the "
            + "cluster map: "
            + notFound.aisMessage(),
        request.bucket,
        request.object,
        null,
        budget.summary(),
        notFound);
  }

  /** A range request must be answered with that range: 206, starting at the requested byte. */
  private static void checkRangeAnswer(AisResponse response, long offset, AisRequest request)
      throws AisException {
    String contentRange = response.headers().firstValue("Content-Range").orElse("");
    if (response.statusCode() != 206 || !contentRange.startsWith("bytes " + offset + "-")) {
      HttpTransport.closeQuietly(response.body());
      throw new AisException(
          "A range from byte "
              + offset
              + " was answered with "
              + response.statusCode()
              + " '"
              + contentRange
              + "' instead of that range",
          request.bucket,
          request.object,
          null);
    }
  }

  private static long totalSize(AisResponse response, long contentLength) {
    if (response.statusCode() != 206) {
      return contentLength; // the body is the whole object
    }
    // "Content-Range: bytes a-b/total"
    String total =
        response
            .headers()
            .firstValue("Content-Range")
            .map(v -> v.substring(v.lastIndexOf('/') + 1))
            .orElse("*");
    return total.equals("*") ? -1 : Long.parseLong(total);
  }

  private static String rangeHeader(long from, long toExclusive) {
    return "bytes=" + from + "-" + (toExclusive < 0 ? "" : String.valueOf(toExclusive - 1));
  }

  /**
   * The object's properties from the response headers; {@code size()} is the whole object's size.
   */
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
      if (broken) {
        broken = false;
        budget.progressed();
      }
      client.stats().countBytes(n);
      return n;
    }
  }

  private void resume(IOException cause) throws AisException {
    HttpTransport.closeQuietly(body);
    broken = true;
    try {
      reopen(cause);
    } catch (AisException e) {
      close();
      throw e;
    }
  }

  /**
   * Asks for the rest of the object once the budget allows another attempt; it must be the same
   * object.
   */
  private void reopen(IOException cause) throws AisException {
    AisRequest request =
        client.objectGet(bucket, object).header("Range", rangeHeader(position, end));
    String broke =
        "The read broke at byte " + position + (end < 0 ? " and cannot be resumed" : " of " + end);
    if (end < 0
        || HttpTransport.isInterruption(cause)
        || !client.transport().awaitRetry(request, budget)) {
      throw AisException.failed(
          broke + ": " + cause, bucket.toString(), object, servedBy, budget.summary(), cause);
    }
    resumes++;
    AisResponse next;
    try {
      next = fetch(client, request, position, listedOn, servedBy, budget);
    } catch (AisException e) {
      throw e.during(broke + " (" + cause + "), and resuming it failed");
    }
    body = next.body();
    servedBy = next.hop();
    ObjectProps now = ObjectProps.fromHeaders(next.headers(), -1);
    if (!props.sameContentAs(now)) {
      throw new AisException(
          "The object changed while being read (version "
              + props.version()
              + " -> "
              + now.version()
              + "); read it again",
          bucket.toString(),
          object,
          cause);
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
