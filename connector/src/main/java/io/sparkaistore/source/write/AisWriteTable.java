package io.sparkaistore.source.write;

import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.WriteConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * The path being written, as a DataSource V2 table that takes appends and truncating overwrites.
 */
final class AisWriteTable implements SupportsWrite {
  private final StructType schema;
  private final Map<String, String> options;
  private final Transform[] partitioning;

  /**
   * @param partitioning the {@code partitionBy} columns, as identity transforms
   */
  AisWriteTable(StructType schema, Map<String, String> options, Transform[] partitioning) {
    this.schema = schema;
    this.options = Map.copyOf(options);
    this.partitioning = partitioning.clone();
  }

  /** The write's {@code partitionBy}, which Spark checks against the table's. */
  @Override
  public Transform[] partitioning() {
    return partitioning.clone();
  }

  private List<String> partitionColumns() {
    List<String> columns = new ArrayList<>();
    for (Transform t : partitioning) {
      NamedReference[] refs = t.references();
      if (!"identity".equals(t.name()) || refs.length != 1 || refs[0].fieldNames().length != 1) {
        throw new IllegalArgumentException(
            "Cannot partition a write by "
                + t.describe()
                + ": partitionBy takes top-level columns");
      }
      columns.add(refs[0].fieldNames()[0]);
    }
    return columns;
  }

  @Override
  public String name() {
    return "ais-write:" + options.get("path");
  }

  // Spark deprecates schema() for columns(), yet its default columns() is the one conversion from
  // schema() (comments, defaults, metadata); a table overrides one of the two, and this one has a
  // StructType.
  @SuppressWarnings("deprecation")
  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(
        TableCapability.BATCH_WRITE, TableCapability.TRUNCATE, TableCapability.ACCEPT_ANY_SCHEMA);
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    Map<String, String> merged = new HashMap<>(options);
    merged.putAll(info.options().asCaseSensitiveMap());
    String emptyPathMode = merged.remove(AisWriteProvider.SAVE_MODE_ON_EMPTY_PATH);
    SaveMode ifFilled = emptyPathMode == null ? null : SaveMode.valueOf(emptyPathMode);
    WriteConfig parsed = WriteConfig.parse(OptionValues.withSession(merged));
    return new AisWriteBuilder(
        parsed,
        new WriteTarget(parsed.path(), info.queryId()),
        info.schema(),
        ifFilled,
        PartitionDirectories.of(info.schema(), partitionColumns()));
  }
}
