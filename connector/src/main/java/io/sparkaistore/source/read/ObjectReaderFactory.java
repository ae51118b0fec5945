package io.sparkaistore.source.read;

import io.sparkaistore.source.AisOptions;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;

/** Creates, on executors, the reader of one {@link ObjectPartition}. */
final class ObjectReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final AisOptions options;
  private final StructType readSchema;

  ObjectReaderFactory(AisOptions options, StructType readSchema) {
    this.options = options;
    this.readSchema = readSchema;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    if (!(partition instanceof ObjectPartition)) {
      throw new IllegalArgumentException("Unknown input partition type: " + partition.getClass().getName());
    }
    return new ObjectPartitionReader((ObjectPartition) partition, options, readSchema);
  }
}
