package io.sparkaistore.source.read;

import io.sparkaistore.source.options.AisOptions;
import io.sparkaistore.source.options.ReadTaskConfig;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;

/** Creates, on executors, the reader of one partition for the read's layout. */
final class AisReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final ReadTaskConfig options;
  private final StructType tableSchema;
  private final StructType readSchema;

  AisReaderFactory(ReadTaskConfig options, StructType tableSchema, StructType readSchema) {
    this.options = options;
    this.tableSchema = tableSchema;
    this.readSchema = readSchema;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    if (partition instanceof ZippedPartition) {
      return new ZippedPartitionReader((ZippedPartition) partition, options);
    }
    if (!(partition instanceof ObjectPartition)) {
      throw new IllegalArgumentException("Unknown input partition type: " + partition.getClass().getName());
    }
    ObjectPartition objects = (ObjectPartition) partition;
    return options.layout() == AisOptions.Layout.OBJECTS
        ? new ObjectPartitionReader(objects, options, readSchema)
        : new ShardPartitionReader(objects, options, tableSchema, readSchema);
  }
}
