package io.sparkaistore.source;

import io.sparkaistore.source.read.AisScanBuilder;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** The objects or shards under one or more AIS paths, as a table of the chosen layout. */
final class AisTable implements SupportsRead {
  private final StructType schema;
  private final Map<String, String> tableOptions;

  AisTable(StructType schema, Map<String, String> tableOptions) {
    this.schema = schema;
    this.tableOptions = Map.copyOf(tableOptions);
  }

  @Override
  public String name() {
    return "ais:" + AisDataSource.parseOptions(tableOptions).paths();
  }

  // Spark deprecates schema() for columns(), yet its default columns() is the one conversion from
  // schema()
  // (comments, defaults, metadata); a table overrides one of the two, and this one has a
  // StructType.
  @SuppressWarnings("deprecation")
  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap readOptions) {
    Map<String, String> merged = new java.util.HashMap<>(tableOptions);
    merged.putAll(readOptions.asCaseSensitiveMap());
    AisOptions options = AisDataSource.parseOptions(merged);
    AisDataSource.checkReadSchema(options, schema);
    return new AisScanBuilder(options, schema);
  }
}
