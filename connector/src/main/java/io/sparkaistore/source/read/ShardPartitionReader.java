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
  private final boolean rowsAreSamples;
  private InternalRow row;
  private long rows;

  ShardPartitionReader(
      ShardCursor<InternalRow> cursor, ObjectFetcher fetcher, boolean rowsAreSamples) {
    this.cursor = cursor;
    this.fetcher = fetcher;
    this.rowsAreSamples = rowsAreSamples;
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
        ReadMetrics.value(ReadMetrics.SAMPLES, rowsAreSamples ? rows : 0),
        ReadMetrics.value(ReadMetrics.SKIPPED, cursor.skipped()),
        ReadMetrics.value(ReadMetrics.MISSING, cursor.missing()),
        ReadMetrics.value(ReadMetrics.SKIPPED_MEMBERS, cursor.skippedMembers()));
  }

  @Override
  public void close() throws IOException {
    cursor.close();
  }
}
