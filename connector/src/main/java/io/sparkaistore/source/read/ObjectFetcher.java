package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.BatchItem;
import io.sparkaistore.client.BatchReader;
import io.sparkaistore.client.ClientStats;
import io.sparkaistore.client.Etl;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.client.ObjectProps;
import io.sparkaistore.client.ObjectReadStream;
import io.sparkaistore.source.options.AisOptions;
import io.sparkaistore.source.options.ReadTaskConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every reader fetches listed objects, and what it says when that fails: the one place that
 * chooses among the inline ETL, GetBatch, parallel range requests and a single GET ({@link Route}).
 * One fetcher serves one task.
 */
final class ObjectFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectFetcher.class);
  private static final int MAX_BINARY = Integer.MAX_VALUE - 8;
  // Marks, by identity, an object that vanished after planning (when such objects are skipped).
  private static final byte[] MISSING = new byte[0];

  /** The ways to fetch an object, in the order they are considered. */
  enum Route {
    /** Through the inline ETL, whatever the size. */
    ETL,
    /** With parallel range requests: at or over the parallel-read threshold. */
    PARALLEL,
    /**
     * In a GetBatch request with its neighbours: small, whole-object reads with GetBatch enabled.
     */
    BATCH,
    /** Nothing to fetch: an empty object. */
    EMPTY,
    /** With one GET. */
    SINGLE
  }

  /** What fetching takes from the options, picked out on the driver and shipped to tasks. */
  static final class Settings implements Serializable {
    private static final long serialVersionUID = 1L;

    final AisClientConfig client;
    final Etl etl; // null when none
    final long parallelReadThreshold;
    final int parallelReadThreads;
    final int parallelReadChunkSize;
    final int getBatchSize;
    final long getBatchMaxObjectSize;
    final boolean ignoreMissingFiles;

    Settings(
        AisClientConfig client,
        Etl etl,
        long parallelReadThreshold,
        int parallelReadThreads,
        int parallelReadChunkSize,
        int getBatchSize,
        long getBatchMaxObjectSize,
        boolean ignoreMissingFiles) {
      this.client = client;
      this.etl = etl;
      this.parallelReadThreshold = parallelReadThreshold;
      this.parallelReadThreads = parallelReadThreads;
      this.parallelReadChunkSize = parallelReadChunkSize;
      this.getBatchSize = getBatchSize;
      this.getBatchMaxObjectSize = getBatchMaxObjectSize;
      this.ignoreMissingFiles = ignoreMissingFiles;
    }

    static Settings of(ReadTaskConfig options) {
      return new Settings(
          options.clientConfig(),
          options.etl(),
          options.parallelReadThreshold(),
          options.parallelReadThreads(),
          options.parallelReadChunkSize(),
          options.getBatchSize(),
          options.getBatchMaxObjectSize(),
          options.ignoreMissingFiles());
    }

    /**
     * How an object of {@code size} bytes is fetched. GetBatch is chosen only when {@code
     * wholeObjects} (the caller reads each object into one array, not as a stream) and for objects
     * under both the parallel-read threshold and GetBatch's size bound.
     */
    Route route(long size, boolean wholeObjects) {
      if (etl != null) {
        return Route.ETL;
      }
      if (size >= parallelReadThreshold) {
        return Route.PARALLEL;
      }
      if (wholeObjects && getBatchSize > 1 && size < getBatchMaxObjectSize) {
        return Route.BATCH;
      }
      return size == 0 ? Route.EMPTY : Route.SINGLE;
    }
  }

  private final Settings settings;
  private final AisClient client;
  private final Deque<byte[]> batched = new ArrayDeque<>();

  ObjectFetcher(Settings settings) {
    this.settings = settings;
    this.client = AisClient.create(settings.client);
  }

  ClientStats stats() {
    return client.stats();
  }

  /**
   * The object's bytes as a stream (never through GetBatch). The listing says which target holds
   * it, so that a 404 from another target, while that one is away, is waited out rather than taken
   * for a deleted object.
   */
  InputStream open(ListedObject object) throws IOException {
    try {
      switch (settings.route(object.size(), false)) {
        case ETL:
          return client.get(object.bucket, object.name(), settings.etl);
        case PARALLEL:
          return client.getParallel(
              object.bucket,
              object.entry,
              settings.parallelReadThreads,
              settings.parallelReadChunkSize);
        case EMPTY:
          return InputStream.nullInputStream();
        default:
          return client.get(object.bucket, object.entry);
      }
    } catch (AisException e) {
      throw explain(object, e);
    }
  }

  /**
   * The whole of a listed shard's DALI index, or null when it is gone or is no longer the index
   * listed (another size, version or checksum): an index replaced after planning may describe
   * another shard than the one the ranges will fetch.
   */
  byte[] readIndex(ListedObject shard) throws IOException {
    ObjectEntry listed = shard.index;
    try (ObjectReadStream in = client.get(shard.bucket, listed)) {
      ObjectProps props = in.props();
      boolean same =
          props.size() == listed.size()
              && new ObjectProps(listed.size(), null, listed.checksum(), listed.version(), null)
                  .sameContentAs(props);
      return same ? in.readAllBytes() : null;
    } catch (AisException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }

  /** {@code length} bytes from {@code offset} of a listed object. */
  ObjectReadStream openRange(ListedObject object, long offset, long length) throws IOException {
    try {
      return client.getRange(object.bucket, object.entry, offset, length);
    } catch (AisException e) {
      throw explain(object, e);
    }
  }

  /**
   * The whole content of {@code objects.get(index)}, or null when it vanished after planning and
   * the options skip such objects. Calls must walk the list in order: a GetBatch run fetched for
   * one object serves the objects after it.
   */
  byte[] readWhole(List<ListedObject> objects, int index) throws IOException {
    ListedObject object = objects.get(index);
    if (object.size() > MAX_BINARY) {
      throw new IOException(
          "Object "
              + object
              + " is "
              + object.size()
              + " bytes; a BINARY value holds at most "
              + MAX_BINARY
              + " bytes. Exclude it (e.g. filter on size) or read it without the content column.");
    }
    byte[] content;
    if (settings.route(object.size(), true) != Route.BATCH) {
      content = readOne(object);
    } else {
      if (batched.isEmpty()) {
        fetchBatchFrom(objects, index);
      }
      content = batched.removeFirst();
    }
    return content == MISSING ? null : content;
  }

  /**
   * Fetches the run of batchable objects starting at {@code index} (up to the batch size) in one
   * request. What GetBatch does not deliver is read with one GET per object: the objects it reports
   * missing (which may only be on a target out of the cluster map for now), and, when the batch
   * request fails, the objects it had not delivered yet.
   */
  private void fetchBatchFrom(List<ListedObject> objects, int index) throws IOException {
    List<ListedObject> run = new ArrayList<>();
    for (int i = index;
        i < objects.size()
            && run.size() < settings.getBatchSize
            && settings.route(objects.get(i).size(), true) == Route.BATCH;
        i++) {
      run.add(objects.get(i));
    }
    List<BatchItem> items = new ArrayList<>();
    run.forEach(o -> items.add(BatchItem.object(o.bucket, o.name())));
    List<byte[]> delivered = new ArrayList<>(); // null: reported missing
    try (BatchReader reader = client.getBatch(items)) {
      while (reader.hasNext()) {
        BatchReader.Entry entry = reader.next();
        delivered.add(entry.isMissing() ? null : entry.readAllBytes());
      }
    } catch (AisException batchFailed) {
      // The batch request itself failed (AIS 5.0 sometimes answers a redirected GetBatch with 404
      // "prep-rx not done?"): that says nothing of the objects, so read the rest one by one.
      LOG.warn(
          "GetBatch of {} objects from {} failed after {} ({}); reading the rest one by one",
          run.size(),
          run.get(0),
          delivered.size(),
          batchFailed.getMessage());
    }
    for (int i = 0; i < run.size(); i++) {
      byte[] content = i < delivered.size() ? delivered.get(i) : null;
      batched.addLast(content != null ? content : readOne(run.get(i)));
    }
  }

  /** One object with its own GET; a vanished one is MISSING when the options skip such objects. */
  private byte[] readOne(ListedObject object) throws IOException {
    try (InputStream in = open(object)) {
      return in.readAllBytes();
    } catch (IOException e) {
      if (skipsMissing(e)) {
        return MISSING;
      }
      throw e;
    }
  }

  /** The number of bytes {@link #open} will return, or -1 when an ETL transforms them. */
  long expectedSize(ListedObject object) {
    return settings.etl != null ? -1 : object.size();
  }

  /** Whether {@code e} says the object is gone and the options say to skip such objects. */
  boolean skipsMissing(IOException e) {
    return settings.ignoreMissingFiles
        && e instanceof AisException
        && ((AisException) e).isNotFound();
  }

  /** Adds what the user can do to AIS's answer where there is something to do. */
  private IOException explain(ListedObject object, AisException e) {
    if (e.isNotFound()) {
      if (settings.ignoreMissingFiles) {
        return e; // the caller skips it
      }
      return new IOException(
          "Object "
              + object
              + " was listed when the query was planned but no longer exists. Set option '"
              + AisOptions.IGNORE_MISSING_FILES
              + "' (or spark.sql.files.ignoreMissingFiles) to true to skip "
              + "objects deleted during a read.",
          e);
    }
    if (e.status() == 501 && settings.etl != null) {
      return new IOException(
          "The AIS cluster cannot run ETL '"
              + settings.etl.name()
              + "' for "
              + object
              + " (ETL needs an AIS build with ETL support, on Kubernetes): "
              + e.aisMessage(),
          e);
    }
    return e;
  }

  /** Empties what a GetBatch run fetched ahead. */
  void close() {
    batched.clear();
  }
}
