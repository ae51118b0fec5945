package io.sparkaistore.source.read;

import io.sparkaistore.source.metrics.ReadMetrics;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition's objects into rows ({@code objects} layout). Without {@code content} in the
 * query no object is fetched: the row comes from the listing. With it, each object is fetched
 * whole, the way the {@link ObjectFetcher} chooses.
 */
final class ObjectPartitionReader implements PartitionReader<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectPartitionReader.class);

  private final List<ListedObject> objects;
  private final ObjectFetcher fetcher;
  private final RowConverter<ObjectsLayout.ObjectRow> rows;
  private final boolean needsContent;
  private int next;
  private InternalRow row;
  private long objectsRead;
  private long missing;

  ObjectPartitionReader(
      List<ListedObject> objects,
      ObjectFetcher fetcher,
      RowConverter<ObjectsLayout.ObjectRow> rows,
      boolean needsContent) {
    this.objects = objects;
    this.fetcher = fetcher;
    this.rows = rows;
    this.needsContent = needsContent;
  }

  @Override
  public boolean next() throws IOException {
    while (next < objects.size()) {
      int index = next++;
      ListedObject object = objects.get(index);
      byte[] content = null;
      if (needsContent) {
        content = fetcher.readWhole(objects, index);
        if (content == null) {
          missing++;
          LOG.warn("Skipping {}: deleted after the query was planned (ignoreMissingFiles)", object);
          continue;
        }
        long expected = fetcher.expectedSize(object);
        if (expected >= 0 && content.length != expected) {
          throw new IOException(
              "Object "
                  + object
                  + " changed after the query was planned: listed at "
                  + object.size()
                  + " bytes, read "
                  + content.length
                  + ". Run the query again.");
        }
      }
      objectsRead++;
      row = rows.toRow(new ObjectsLayout.ObjectRow(object, content));
      return true;
    }
    return false;
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return ReadMetrics.withClientStats(
        fetcher.stats(),
        ReadMetrics.value(ReadMetrics.OBJECTS, objectsRead),
        ReadMetrics.value(ReadMetrics.MISSING, missing));
  }

  @Override
  public void close() {
    fetcher.close();
  }
}
