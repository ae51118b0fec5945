package io.sparkaistore.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Uploads what is written to it as one object. Until a part is full nothing is sent; an object that
 * fits in one part is a single PUT on {@link #close()}. A larger one becomes a multipart upload
 * whose parts go out as they fill and which is completed on close, so the object appears whole or
 * not at all. A full part is uploaded in the background while the next one fills, one part in
 * flight at a time, so the stream holds at most two parts in memory and the writer does not wait on
 * the network. Each part is a byte array, so a failed part is retried like any request; a part that
 * still fails fails the next write or the close, and {@link #abort()} abandons the upload.
 *
 * <p>A <em>pending</em> upload is always a multipart upload and is not completed on close: it stays
 * invisible until someone completes it with {@link #uploadId()} and {@link #parts()}, which lets a
 * job commit publish objects that tasks uploaded under their final names without copying them.
 */
public final class MultipartOutputStream extends OutputStream {
  private static final ExecutorService PART_UPLOADS =
      Executors.newCachedThreadPool(
          task -> {
            Thread t = new Thread(task, "ais-part-upload");
            t.setDaemon(true);
            return t;
          });

  private final AisClient client;
  private final AisBucket bucket;
  private final String object;
  private final boolean pending;
  private byte[] part;
  // The part in flight, or free again once it is sent; allocated with the second part.
  private byte[] spare;
  private int filled;
  private CompletableFuture<Void> inFlight;
  private volatile String uploadId; // set by the first part's upload, read after it is awaited
  private int partsSent;
  private long bytes;
  private boolean closed;
  private boolean failed; // a request failed: the upload can only be abandoned
  private boolean completed;

  MultipartOutputStream(
      AisClient client, AisBucket bucket, String object, int partSize, boolean pending) {
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
    if (closed || failed) {
      throw new IOException(
          "The upload of " + bucket + "/" + object + (failed ? " failed" : " is closed"));
    }
    while (len > 0) {
      if (filled == part.length) {
        sendInBackground();
      }
      int n = Math.min(len, part.length - filled);
      System.arraycopy(buf, off, part, filled, n);
      filled += n;
      off += n;
      len -= n;
      bytes += n;
    }
  }

  /**
   * Hands the full part to a background upload, once the one before it is done, and fills the other
   * buffer.
   */
  private void sendInBackground() throws IOException {
    awaitInFlight();
    byte[] full = part;
    int length = filled;
    int number = partsSent + 1;
    inFlight =
        CompletableFuture.runAsync(
            () -> {
              try {
                send(full, length, number);
              } catch (AisException e) {
                throw new CompletionException(e);
              }
            },
            PART_UPLOADS);
    part = spare != null ? spare : new byte[full.length];
    spare = full;
    filled = 0;
  }

  private void send(byte[] content, int length, int number) throws AisException {
    if (uploadId == null) {
      uploadId = client.startMultipartUpload(bucket, object);
    }
    client.uploadPart(bucket, object, uploadId, number, RequestBody.of(content, length));
  }

  /** Waits for the part in flight; its failure fails the upload. */
  private void awaitInFlight() throws IOException {
    if (inFlight == null) {
      return;
    }
    try {
      inFlight.get();
      partsSent++;
    } catch (ExecutionException e) {
      inFlight = null;
      failed = true;
      throw e.getCause() instanceof AisException
          ? (AisException) e.getCause()
          : new IOException(
              "Uploading a part of " + bucket + "/" + object + " failed", e.getCause());
    } catch (InterruptedException e) {
      failed = true; // the part is still in flight: abort() waits for it
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "Interrupted while uploading a part of " + bucket + "/" + object);
    }
    inFlight = null;
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
   * Sends what is left and makes the object visible (a pending upload stays invisible); after a
   * failed request it abandons the upload instead, and says so, so that a broken object never
   * becomes visible.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      awaitInFlight();
      if (failed) {
        throw new AisException(
            "The upload failed earlier and was abandoned", bucket.toString(), object, null);
      }
      if (uploadId == null && partsSent == 0 && !pending) {
        client.put(bucket, object, RequestBody.of(part, filled));
        completed = true;
        return;
      }
      if (filled > 0 || partsSent == 0) {
        send(part, filled, partsSent + 1);
        partsSent++;
      }
      if (!pending) {
        client.completeMultipartUpload(bucket, object, uploadId, partsSent, bytes);
        completed = true;
      }
    } catch (IOException e) {
      failed = true;
      abortQuietly(e);
      throw e;
    }
  }

  private void abortQuietly(IOException cause) {
    try {
      abort();
    } catch (AisException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Abandons the upload unless it completed (a pending one included): nothing becomes visible. It
   * works in a thread being interrupted too (Spark interrupts the tasks it kills), and keeps the
   * flag.
   */
  public void abort() throws AisException {
    closed = true;
    // An interrupted thread's requests would fail at once.
    boolean interrupted = Thread.interrupted();
    try {
      if (inFlight != null) {
        try {
          // Abort after the last part, so that no part arrives for an abandoned upload.
          inFlight.join();
        } catch (CompletionException | CancellationException e) {
          // The upload is being abandoned anyway.
        }
        inFlight = null;
      }
      if (!completed && uploadId != null) {
        String id = uploadId;
        uploadId = null;
        client.abortMultipartUpload(bucket, object, id);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
