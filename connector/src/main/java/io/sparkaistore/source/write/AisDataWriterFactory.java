package io.sparkaistore.source.write;

import io.sparkaistore.source.options.WriteTaskConfig;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.types.StructType;

/** Creates, on executors, the writer of one task attempt. */
final class AisDataWriterFactory implements DataWriterFactory {
  private static final long serialVersionUID = 1L;

  private final WriteTarget target;
  private final WriteTaskConfig options;
  private final StructType schema;
  private final SampleEncoder encoder; // null for the objects layout
  private final PartitionDirectories partitions;

  AisDataWriterFactory(
      WriteTarget target,
      WriteTaskConfig options,
      StructType schema,
      SampleEncoder encoder,
      PartitionDirectories partitions) {
    this.target = target;
    this.options = options;
    this.schema = schema;
    this.encoder = encoder;
    this.partitions = partitions;
  }

  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
    return encoder != null
        ? new ShardDataWriter(target, options, encoder, partitions, partitionId, taskId)
        : new ObjectDataWriter(target, options, schema, partitionId, taskId);
  }
}
