package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.source.AisOptions;
import io.sparkaistore.source.metrics.ReadMetrics;
import io.sparkaistore.wds.ShardMember;
import io.sparkaistore.wds.ShardReader;
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
 * Reads several sources side by side, the Spark counterpart of AIS's {@code AISMultiShardStream}: row
 * i holds the i-th file of each source (its shards in listing order, each shard's files in archive
 * order). When one source runs out before the others, the read stops there, with a warning and the
 * {@code aisZipTruncated} metric, or fails when {@code zipMismatch} is {@code fail}.
 */
final class ZippedPartitionReader implements PartitionReader<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(ZippedPartitionReader.class);

  private final List<Source> sources = new ArrayList<>();
  private final AisOptions options;
  private final AisClient client;
  private InternalRow row;
  private long rows;
  private long truncated;
  private boolean done;

  ZippedPartitionReader(ZippedPartition partition, AisOptions options) {
    this.options = options;
    this.client = AisClient.create(options.clientConfig());
    for (List<ListedObject> shards : partition.sources()) {
      sources.add(new Source(shards));
    }
  }

  @Override
  public boolean next() throws IOException {
    if (done) {
      return false;
    }
    Object[] values = new Object[sources.size()];
    List<Integer> exhausted = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      values[i] = sources.get(i).nextItem();
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
      String message = "zipped sources differ in length: source(s) " + exhausted + " of " + options.paths()
          + " ended after " + rows + " item(s) while the others have more";
      if (options.zipMismatchFails()) {
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

  /** One source: the regular files of its shards, one after another. */
  private final class Source {
    private final List<ListedObject> shards;
    private int next;
    private ShardReader current;

    Source(List<ListedObject> shards) {
      this.shards = shards;
    }

    /** The next file's content, or null when the source is exhausted. */
    byte[] nextItem() throws IOException {
      while (true) {
        if (current == null) {
          if (next == shards.size()) {
            return null;
          }
          ListedObject shard = shards.get(next++);
          java.io.InputStream in;
          try {
            in = ObjectStreams.open(client, options, shard);
          } catch (IOException e) {
            if (ObjectStreams.skipMissing(options, e)) {
              LOG.warn("Skipping shard {}: deleted after the query was planned (ignoreMissingFiles)", shard);
              continue;
            }
            throw e;
          }
          current = ShardReader.open(in, shard.toString(), ObjectStreams.expectedSize(options, shard));
        }
        ShardMember member = current.next();
        if (member == null) {
          close();
        } else {
          return member.readContent(options.maxMemberSize(), current.shard());
        }
      }
    }

    void close() throws IOException {
      if (current != null) {
        current.close();
        current = null;
      }
    }
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return ReadMetrics.withClientStats(client.stats(),
        ReadMetrics.value(ReadMetrics.ZIP_TRUNCATED, truncated));
  }

  @Override
  public void close() throws IOException {
    for (Source s : sources) {
      s.close();
    }
  }
}
