package io.sparkaistore.source.read;

import io.sparkaistore.source.AisOptions;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;

/** Creates, on executors, the reader of one partition for the read's layout. */
final class AisReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final AisOptions options;
  private final StructType tableSchema;
  private final StructType readSchema;

  AisReaderFactory(AisOptions options, StructType tableSchema, StructType readSchema) {
    this.options = options;
    this.tableSchema = tableSchema;
    this.readSchema = readSchema;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    if (partition instanceof ZippedPartition zippedPartition) {
      return new ZippedPartitionReader(zippedPartition, options);
    }
    if (!(partition instanceof ObjectPartition objects)) {
      throw new IllegalArgumentException("Unknown input partition type: " + partition.getClass().getName());
    }
    return options.layout() == AisOptions.Layout.OBJECTS
        ? new ObjectPartitionReader(objects, options, readSchema)
        : new ShardPartitionReader(objects, options, tableSchema, readSchema);
  }
}
