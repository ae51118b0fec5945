package io.sparkaistore.source.read;

import io.sparkaistore.source.partition.PartitionScheme;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;

/** Creates, on executors, the reader of one partition: the read's layout says which. */
final class AisReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final ReadLayout layout;
  private final StructType readSchema;
  private final PartitionScheme partitions;

  AisReaderFactory(ReadLayout layout, StructType readSchema, PartitionScheme partitions) {
    this.layout = layout;
    this.readSchema = readSchema;
    this.partitions = partitions;
  }

  /** The layout's reader, with the shards' partition values when partition columns are read. */
  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    StructType layoutSchema = PartitionPruning.layoutSchema(partitions, readSchema);
    PartitionReader<InternalRow> rows = layout.createReader(partition, layoutSchema);
    return layoutSchema.equals(readSchema)
        ? rows
        : new PartitionedReader(rows, layoutSchema, readSchema, partitions);
  }
}
