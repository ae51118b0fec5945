package io.sparkaistore.source.write;

import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.WriteConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * The path being written, as a DataSource V2 table that takes appends and truncating overwrites.
 */
final class AisWriteTable implements SupportsWrite {
  private final StructType schema;
  private final Map<String, String> options;

  AisWriteTable(StructType schema, Map<String, String> options) {
    this.schema = schema;
    this.options = Map.copyOf(options);
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
        parsed, new WriteTarget(parsed.path(), info.queryId()), info.schema(), ifFilled);
  }
}
