package io.sparkaistore.source.read;

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

  AisReaderFactory(ReadLayout layout, StructType readSchema) {
    this.layout = layout;
    this.readSchema = readSchema;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return layout.createReader(partition, readSchema);
  }
}
