package io.sparkaistore.client;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Uploads what is written to it as one object, holding at most one part in memory. Until a part is
 * full nothing is sent; an object that fits in one part is a single PUT on {@link #close()}. A larger
 * one becomes a multipart upload whose parts go out as they fill and which is completed on close, so
 * the object appears whole or not at all. Each part is a byte array, so a failed part is retried like
 * any request; {@link #abort()} abandons the upload.
 *
 * <p>A <em>pending</em> upload is always a multipart upload and is not completed on close: it stays
 * invisible until someone completes it with {@link #uploadId()} and {@link #parts()}, which lets a job
 * commit publish objects that tasks uploaded under their final names without copying them.
 */
public final class MultipartOutputStream extends OutputStream {
  private final AisClient client;
  private final AisBucket bucket;
  private final String object;
  private final byte[] part;
  private int filled;
  private String uploadId;
  private int partsSent;
  private long bytes;
  private boolean closed;
  private boolean failed; // a request failed: the upload can only be abandoned
  private boolean completed;
  private final boolean pending;

  MultipartOutputStream(AisClient client, AisBucket bucket, String object, int partSize, boolean pending) {
    if (partSize < 1) {
      throw new IllegalArgumentException("partSize must be positive, got " + partSize);
    }
    this.client = client;
    this.bucket = bucket;
    this.object = object;
    this.part = new byte[partSize];
    this.pending = pending;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("The upload of " + bucket + "/" + object + " is closed");
    }
    while (len > 0) {
      if (filled == part.length) {
        sendPart();
      }
      int n = Math.min(len, part.length - filled);
      System.arraycopy(buf, off, part, filled, n);
      filled += n;
      off += n;
      len -= n;
      bytes += n;
    }
  }

  private void sendPart() throws AisException {
    try {
      if (uploadId == null) {
        uploadId = client.startMultipartUpload(bucket, object);
      }
      client.uploadPart(bucket, object, uploadId, partsSent + 1, RequestBody.of(part, filled));
    } catch (AisException e) {
      failed = true;
      throw e;
    }
    partsSent++;
    filled = 0;
  }

  /** Bytes written so far. */
  public long bytes() {
    return bytes;
  }

  /** The multipart upload's id; null while nothing has been sent or after an abort. */
  public String uploadId() {
    return uploadId;
  }

  /** Parts sent so far: after {@link #close()}, all of them. */
  public int parts() {
    return partsSent;
  }

  /**
   * Sends what is left and makes the object visible (a pending upload stays invisible); after a failed
   * request it abandons the upload instead, and says so, so that a broken object never becomes visible.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (failed) {
      abort();
      throw new AisException("The upload failed earlier and was abandoned", bucket.toString(), object, null);
    }
    try {
      if (uploadId == null && !pending) {
        client.put(bucket, object, RequestBody.of(part, filled));
        completed = true;
        return;
      }
      if (filled > 0 || partsSent == 0) {
        sendPart();
      }
      if (!pending) {
        client.completeMultipartUpload(bucket, object, uploadId, partsSent);
        completed = true;
      }
    } catch (AisException e) {
      failed = true;
      throw e;
    }
  }

  /** Abandons the upload unless it completed (a pending one included): nothing becomes visible. */
  public void abort() throws AisException {
    closed = true;
    if (!completed && uploadId != null) {
      String id = uploadId;
      uploadId = null;
      client.abortMultipartUpload(bucket, object, id);
    }
  }
}
