package io.sparkaistore.source.read;

import io.sparkaistore.source.metrics.ReadMetrics;
import io.sparkaistore.source.options.AisOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads several sources side by side, the Spark counterpart of AIS's {@code AISMultiShardStream}:
 * row i holds the i-th file of each source (its shards in listing order, each shard's files in
 * archive order). When one source runs out before the others, the read stops there, with a warning
 * and the {@code aisZipTruncated} metric, or fails when {@code zipMismatch} is {@code fail}.
 */
final class ZippedPartitionReader implements PartitionReader<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(ZippedPartitionReader.class);

  private final List<ShardCursor<byte[]>> sources;
  private final ObjectFetcher fetcher;
  private final boolean mismatchFails;
  private final String paths;
  private InternalRow row;
  private long rows;
  private long truncated;
  private boolean done;

  ZippedPartitionReader(
      List<ShardCursor<byte[]>> sources,
      ObjectFetcher fetcher,
      boolean mismatchFails,
      String paths) {
    this.sources = sources;
    this.fetcher = fetcher;
    this.mismatchFails = mismatchFails;
    this.paths = paths;
  }

  @Override
  public boolean next() throws IOException {
    if (done) {
      return false;
    }
    Object[] values = new Object[sources.size()];
    List<Integer> exhausted = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      values[i] = sources.get(i).next();
      if (values[i] == null) {
        exhausted.add(i);
      }
    }
    if (exhausted.isEmpty()) {
      rows++;
      row = new GenericInternalRow(values);
      return true;
    }
    done = true;
    if (exhausted.size() < sources.size()) {
      String message =
          "zipped sources differ in length: source(s) "
              + exhausted
              + " of "
              + paths
              + " ended after "
              + rows
              + " item(s) while the others have more";
      if (mismatchFails) {
        throw new IOException(message + " (option '" + AisOptions.ZIP_MISMATCH + "' is fail)");
      }
      truncated = (long) sources.size() - exhausted.size();
      LOG.warn("{}; stopping at the shortest", message);
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
        fetcher.stats(), ReadMetrics.value(ReadMetrics.ZIP_TRUNCATED, truncated));
  }

  @Override
  public void close() throws IOException {
    for (ShardCursor<byte[]> s : sources) {
      s.close();
    }
  }
}
