package io.sparkaistore.source.write;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ObjectNames;
import io.sparkaistore.source.options.WriteTaskConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Writes each row {@code (name, content)} as one object: staged under a name of this task attempt,
 * put in place as {@code <path>/<name>} by the job commit, deleted if the attempt aborts.
 */
final class ObjectDataWriter implements DataWriter<InternalRow> {
  private final WriteTarget target;
  private final int nameOrdinal;
  private final int contentOrdinal;
  private final boolean contentIsString;
  private final int partitionId;
  private final long taskId;
  private final AisClient client;
  private final List<StagedObject> staged = new ArrayList<>();

  ObjectDataWriter(
      WriteTarget target,
      WriteTaskConfig options,
      StructType schema,
      int partitionId,
      long taskId) {
    this.target = target;
    this.nameOrdinal = schema.fieldIndex("name");
    this.contentOrdinal = schema.fieldIndex("content");
    this.contentIsString = schema.apply("content").dataType() instanceof StringType;
    this.partitionId = partitionId;
    this.taskId = taskId;
    this.client = AisClient.create(options.clientConfig());
  }

  /** Checks, on the driver, that the rows are (name STRING, content BINARY or STRING). */
  static void checkSchema(StructType schema) {
    List<String> columns = List.of(schema.fieldNames());
    if (!columns.equals(List.of("name", "content"))
        && !columns.equals(List.of("content", "name"))) {
      throw new IllegalArgumentException(
          "Writing layout objects takes rows (name, content); the columns are "
              + columns
              + ". Select them, e.g. df.select(\"name\", \"content\")");
    }
    if (!(schema.apply("name").dataType() instanceof StringType)) {
      throw new IllegalArgumentException(
          "Column 'name' is "
              + schema.apply("name").dataType().simpleString()
              + "; it must be a STRING: the object's name under the path");
    }
    if (!(schema.apply("content").dataType() instanceof BinaryType
        || schema.apply("content").dataType() instanceof StringType)) {
      throw new IllegalArgumentException(
          "Column 'content' is "
              + schema.apply("content").dataType().simpleString()
              + "; it must be BINARY or STRING (written as UTF-8)");
    }
  }

  @Override
  public void write(InternalRow row) throws IOException {
    String name = row.isNullAt(nameOrdinal) ? null : row.getUTF8String(nameOrdinal).toString();
    String problem = problem(name);
    if (problem != null) {
      throw new IllegalArgumentException(
          "Cannot write the row of partition "
              + partitionId
              + " whose column 'name' is "
              + (name == null ? "null" : "'" + name + "'")
              + ": "
              + problem);
    }
    byte[] content =
        row.isNullAt(contentOrdinal)
            ? new byte[0]
            : contentIsString
                ? row.getUTF8String(contentOrdinal).getBytes()
                : row.getBinary(contentOrdinal);
    String stagingName = target.staged(partitionId, taskId, staged.size(), "");
    client.put(target.bucket, stagingName, content);
    CRC32C crc = new CRC32C();
    crc.update(content);
    staged.add(
        StagedObject.staged(
            stagingName,
            target.prefix + name,
            partitionId,
            staged.size(),
            1,
            content.length,
            crc.getValue()));
  }

  /**
   * Why a row's name cannot name an object under the path, or null: checked before the row is
   * uploaded, so that AIS never refuses it at job commit nor keeps it under another name.
   */
  private String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "every object needs a name";
    }
    if (name.startsWith("/")) {
      return "names are relative to the path (no leading '/')";
    }
    if (name.startsWith("_") || name.contains("/_")) {
      return "a name part starting with '_' is where writes keep their staging area and manifest, which readers skip";
    }
    String problem = ObjectNames.problem(target.prefix + name);
    return problem == null
        ? null
        : "the object '" + target.prefix + name + "' would not be kept under that name: " + problem;
  }

  @Override
  public WriterCommitMessage commit() {
    return new AisCommitMessage(staged, client.stats().retries());
  }

  @Override
  public void abort() {
    Staging.discardQuietly(client, target, staged);
  }

  @Override
  public void close() {
    // Nothing is held between rows.
  }
}
