package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.BatchItem;
import io.sparkaistore.client.BatchReader;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.source.AisOptions;
import io.sparkaistore.source.metrics.ReadMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition's objects into rows. Without {@code content} in the query no object is fetched:
 * the row comes from the listing. With it, large objects are read with parallel range requests, small
 * ones (optionally) many per GetBatch request, the rest with one GET each.
 */
final class ObjectPartitionReader implements PartitionReader<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectPartitionReader.class);
  private static final int MAX_BINARY = Integer.MAX_VALUE - 8;
  // Marks, by identity, an object that vanished after planning (when such objects are skipped).
  private static final byte[] MISSING = new byte[0];

  private final List<ListedObject> objects;
  private final AisOptions options;
  private final String[] fields; // StructType.fieldNames() builds a new array on every call
  private final boolean needsContent;
  private final AisClient client;
  private final Deque<byte[]> batched = new ArrayDeque<>();
  private int next;
  private InternalRow row;
  private long objectsRead;
  private long missing;

  ObjectPartitionReader(ObjectPartition partition, AisOptions options, StructType readSchema) {
    this.objects = partition.objects();
    this.options = options;
    this.fields = readSchema.fieldNames();
    this.needsContent = List.of(fields).contains(ObjectSchema.CONTENT);
    this.client = AisClient.create(options.clientConfig());
  }

  @Override
  public boolean next() throws IOException {
    while (next < objects.size()) {
      int index = next++;
      ListedObject object = objects.get(index);
      byte[] content = needsContent ? fetch(index) : null;
      if (content == MISSING) {
        missing++;
        LOG.warn("Skipping {}: deleted after the query was planned (ignoreMissingFiles)", object);
        continue;
      }
      if (content != null && options.etl() == null && content.length != object.size()) {
        throw new IOException("Object " + object + " changed after the query was planned: listed at "
            + object.size() + " bytes, read " + content.length + ". Run the query again.");
      }
      objectsRead++;
      row = toRow(object, content);
      return true;
    }
    return false;
  }

  @Override
  public InternalRow get() {
    return row;
  }

  private byte[] fetch(int index) throws IOException {
    ListedObject object = objects.get(index);
    if (object.size() > MAX_BINARY) {
      throw new IOException(
          "Object " + object + " is " + object.size() + " bytes; a BINARY value holds at most " + MAX_BINARY
              + " bytes. Exclude it (e.g. filter on size) or read it without the content column.");
    }
    if (!batchable(object)) {
      return fetchOne(object);
    }
    if (batched.isEmpty()) {
      fetchBatchFrom(index);
    }
    return batched.removeFirst();
  }

  /** Whether {@link #fetch} takes this object from a GetBatch run; must agree with fetch's order of choices. */
  private boolean batchable(ListedObject object) {
    return options.getBatchSize() > 1
        && options.etl() == null
        && object.size() < options.parallelReadThreshold()
        && object.size() < options.getBatchMaxObjectSize();
  }

  /**
   * Fetches the run of batchable objects starting at {@code index} (up to the batch size) in one
   * request. What GetBatch does not deliver is read with one GET per object: the objects it reports
   * missing (which may only be on a target out of the cluster map for now), and, when the batch
   * request fails, the objects it had not delivered yet.
   */
  private void fetchBatchFrom(int index) throws IOException {
    List<ListedObject> run = new ArrayList<>();
    for (int i = index; i < objects.size() && run.size() < options.getBatchSize() && batchable(objects.get(i)); i++) {
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
      LOG.warn("GetBatch of {} objects from {} failed after {} ({}); reading the rest one by one", run.size(),
          run.get(0), delivered.size(), batchFailed.getMessage());
    }
    for (int i = 0; i < run.size(); i++) {
      byte[] content = i < delivered.size() ? delivered.get(i) : null;
      batched.addLast(content != null ? content : fetchOne(run.get(i)));
    }
  }

  /** One object with its own GET; a vanished one is MISSING when the options skip such objects. */
  private byte[] fetchOne(ListedObject object) throws IOException {
    try (InputStream in = ObjectStreams.open(client, options, object)) {
      return in.readAllBytes();
    } catch (IOException e) {
      if (ObjectStreams.skipMissing(options, e)) {
        return MISSING;
      }
      throw e;
    }
  }

  private InternalRow toRow(ListedObject object, byte[] content) {
    ObjectEntry e = object.entry;
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      switch (fields[i]) {
        case ObjectSchema.BUCKET -> values[i] = UTF8String.fromString(object.bucket.name());
        case ObjectSchema.NAME -> values[i] = UTF8String.fromString(e.name());
        case ObjectSchema.SIZE -> values[i] = e.size();
        case ObjectSchema.VERSION -> values[i] = utf8(e.version());
        case ObjectSchema.CHECKSUM -> values[i] = utf8(e.checksum());
        case ObjectSchema.ATIME -> values[i] = e.atime() == null ? null : micros(e.atime());
        case ObjectSchema.CONTENT -> values[i] = content;
        default -> throw new IllegalStateException("Unknown column " + fields[i]);
      }
    }
    return new GenericInternalRow(values);
  }

  private static UTF8String utf8(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return ReadMetrics.withClientStats(client.stats(),
        ReadMetrics.value(ReadMetrics.OBJECTS, objectsRead),
        ReadMetrics.value(ReadMetrics.MISSING, missing));
  }

  @Override
  public void close() {
    batched.clear();
  }
}
