package io.sparkaistore.source.read;

import io.sparkaistore.source.partition.PartitionScheme;
import java.io.IOException;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The rows of a layout's reader with the partition values of each row's shard: the layout reads its
 * own columns and {@code __url__}, which names the shard.
 */
final class PartitionedReader implements PartitionReader<InternalRow> {
  private final PartitionReader<InternalRow> rows;
  private final PartitionScheme scheme;
  private final int urlOrdinal;
  // For each output column: its ordinal in the layout's row, or -1 - its partition column's index
  private final int[] sources;
  private final DataType[] types;
  private UTF8String shardUrl;
  private Object[] shardValues;

  PartitionedReader(
      PartitionReader<InternalRow> rows,
      StructType layoutSchema,
      StructType readSchema,
      PartitionScheme scheme) {
    this.rows = rows;
    this.scheme = scheme;
    this.urlOrdinal = layoutSchema.fieldIndex(ShardSchemas.URL);
    this.sources = new int[readSchema.size()];
    this.types = new DataType[readSchema.size()];
    for (int i = 0; i < sources.length; i++) {
      String name = readSchema.fields()[i].name();
      types[i] = readSchema.fields()[i].dataType();
      sources[i] =
          scheme.columns().getFieldIndex(name).isDefined()
              ? -1 - scheme.columns().fieldIndex(name)
              : layoutSchema.fieldIndex(name);
    }
  }

  @Override
  public boolean next() throws IOException {
    return rows.next();
  }

  @Override
  public InternalRow get() {
    InternalRow row = rows.get();
    // Rows of one shard come together: its values are parsed once.
    UTF8String url = row.getUTF8String(urlOrdinal);
    if (!url.equals(shardUrl)) {
      shardValues = valuesOf(url.toString());
      shardUrl = url.clone();
    }
    Object[] out = new Object[sources.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = sources[i] < 0 ? shardValues[-1 - sources[i]] : row.get(sources[i], types[i]);
    }
    return new GenericInternalRow(out);
  }

  /** The partition values of the shard at {@code url} ({@code provider://bucket/name}). */
  private Object[] valuesOf(String url) {
    String name = url.substring(url.indexOf('/', url.indexOf("://") + 3) + 1);
    Map<String, Object> values = scheme.values(name, url);
    return values.values().toArray();
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return rows.currentMetricsValues();
  }

  @Override
  public void close() throws IOException {
    rows.close();
  }
}
