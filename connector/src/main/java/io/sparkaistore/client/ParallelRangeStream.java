package io.sparkaistore.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One object read as concurrent {@code Range} GETs of {@code chunkSize} bytes, delivered in order
 * as one stream. At most {@code threads} chunks are held at once (fetching, waiting or being read),
 * so memory stays within {@code threads * chunkSize} whatever the object's size. Each range is
 * itself a resumable read; one that still fails fails the stream, naming the object and the range.
 */
final class ParallelRangeStream extends BulkInputStream {
  private final AisClient client;
  private final AisBucket bucket;
  private final String object;
  private final String listedOn; // the target a listing placed the object on, or null
  private final long size;
  private final int threads;
  private final int chunkSize;
  private final ExecutorService pool;
  private final Deque<Future<Chunk>> window = new ArrayDeque<>();
  private long nextChunkOffset;
  private Chunk current;
  private ObjectProps firstProps;
  private boolean closed;

  ParallelRangeStream(
      AisClient client,
      AisBucket bucket,
      String object,
      String listedOn,
      long size,
      int threads,
      int chunkSize,
      ExecutorService pool) {
    if (threads < 1 || chunkSize < 1 || size < 0) {
      throw new IllegalArgumentException(
          "Parallel read of "
              + object
              + " needs threads >= 1, chunkSize >= 1 and size >= 0; got "
              + threads
              + ", "
              + chunkSize
              + ", "
              + size);
    }
    this.client = client;
    this.bucket = bucket;
    this.object = object;
    this.listedOn = listedOn;
    this.size = size;
    this.threads = threads;
    this.chunkSize = chunkSize;
    this.pool = pool;
  }

  private static final class Chunk {
    final long offset;
    final byte[] bytes;
    final ObjectProps props;
    int read;

    Chunk(long offset, byte[] bytes, ObjectProps props) {
      this.offset = offset;
      this.bytes = bytes;
      this.props = props;
    }
  }

  /** Keeps up to {@code threads} chunks in flight, counting the one being read. */
  private void schedule() {
    int budget = threads - (current == null ? 0 : 1);
    while (window.size() < budget && nextChunkOffset < size) {
      long offset = nextChunkOffset;
      int length = (int) Math.min(chunkSize, size - offset);
      nextChunkOffset += length;
      window.addLast(pool.submit(() -> fetch(offset, length)));
    }
  }

  private Chunk fetch(long offset, int length) throws AisException {
    try (ObjectReadStream range =
        ObjectReadStream.open(client, bucket, object, offset, length, listedOn)) {
      byte[] bytes = range.readNBytes(length);
      if (bytes.length != length || range.props().size() != size) {
        throw new IOException(
            "got "
                + bytes.length
                + " of "
                + length
                + " bytes of an object now "
                + range.props().size()
                + " bytes long (listed at "
                + size
                + "); it changed, read it again");
      }
      return new Chunk(offset, bytes, range.props());
    } catch (IOException e) {
      boolean fromAis = e instanceof AisException;
      throw new AisException(
          fromAis ? ((AisException) e).status() : 0,
          "parallel read of bytes "
              + offset
              + "-"
              + (offset + length - 1)
              + " of "
              + size
              + " ("
              + threads
              + " threads, "
              + chunkSize
              + "-byte chunks) failed: "
              + (fromAis ? ((AisException) e).aisMessage() : e.toString()),
          bucket.toString(),
          object,
          e);
    }
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("Parallel read of " + bucket + "/" + object + " is closed");
    }
    if (len == 0) {
      return 0;
    }
    if (current == null || current.read == current.bytes.length) {
      current = null;
      schedule();
      if (window.isEmpty()) {
        return -1;
      }
      current = await(window.removeFirst());
    }
    int n = Math.min(len, current.bytes.length - current.read);
    System.arraycopy(current.bytes, current.read, buf, off, n);
    current.read += n;
    return n;
  }

  private Chunk await(Future<Chunk> pending) throws IOException {
    try {
      Chunk chunk = pending.get();
      checkSameObject(chunk);
      return chunk;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException(
          "Interrupted during the parallel read of " + bucket + "/" + object);
    } catch (ExecutionException | CancellationException e) {
      close();
      if (e.getCause() instanceof AisException) {
        throw (AisException) e.getCause();
      }
      throw new AisException("Parallel range read failed: " + e, bucket.toString(), object, e);
    }
  }

  private void checkSameObject(Chunk chunk) throws AisException {
    if (firstProps == null) {
      firstProps = chunk.props;
    } else if (!firstProps.sameContentAs(chunk.props)) {
      close();
      throw new AisException(
          "The object changed during the parallel read (range at byte "
              + chunk.offset
              + " has version "
              + chunk.props.version()
              + ", earlier ranges "
              + firstProps.version()
              + "); read it again",
          bucket.toString(),
          object,
          null);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      current = null;
      window.forEach(f -> f.cancel(true));
      window.clear();
    }
  }
}
