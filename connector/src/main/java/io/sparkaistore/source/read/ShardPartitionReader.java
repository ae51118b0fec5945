package io.sparkaistore.source.read;

import io.sparkaistore.source.metrics.ReadMetrics;
import java.io.IOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Streams one partition's shards into rows: a row per sample ({@code webdataset}) or per file
 * ({@code members}), as the layout's {@link ShardCursor.Opener} makes them. Unreadable shards and
 * malformed samples fail the task with their names, or are skipped and counted as the options say.
 */
final class ShardPartitionReader implements PartitionReader<InternalRow> {
  private final ShardCursor<InternalRow> cursor;
  private final ObjectFetcher fetcher;
  private final IndexedReads indexed; // null when shards are only streamed
  private InternalRow row;
  private long rows;

  /**
   * @param indexed the task's reads through indexes, when rows are samples; null when rows are
   *     members
   */
  ShardPartitionReader(
      ShardCursor<InternalRow> cursor, ObjectFetcher fetcher, IndexedReads indexed) {
    this.cursor = cursor;
    this.fetcher = fetcher;
    this.indexed = indexed;
  }

  @Override
  public boolean next() throws IOException {
    row = cursor.next();
    if (row == null) {
      return false;
    }
    rows++;
    return true;
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return ReadMetrics.withClientStats(
        fetcher.stats(),
        ReadMetrics.value(ReadMetrics.SHARDS, cursor.shardsOpened()),
        ReadMetrics.value(ReadMetrics.SAMPLES, indexed != null ? rows : 0),
        ReadMetrics.value(
            ReadMetrics.INDEXED_SHARDS, indexed != null ? indexed.indexedShards() : 0),
        ReadMetrics.value(ReadMetrics.BYTES_SKIPPED, indexed != null ? indexed.bytesSkipped() : 0),
        ReadMetrics.value(ReadMetrics.SKIPPED, cursor.skipped()),
        ReadMetrics.value(ReadMetrics.MISSING, cursor.missing()),
        ReadMetrics.value(ReadMetrics.SKIPPED_MEMBERS, cursor.skippedMembers()));
  }

  @Override
  public void close() throws IOException {
    cursor.close();
  }
}
