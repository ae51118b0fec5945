package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.source.options.ReadConfig;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns each layout reads: fixed for objects, members and zipped; for webdataset, one column
 * per extension, inferred from AIS's listing of shard members or given by the user, then the
 * partition columns of the shards' {@code col=value/} directories (any column of a user's schema
 * that is not BINARY).
 */
public final class LayoutSchema {
  private LayoutSchema() {}

  /** The layout's columns; for webdataset inferred from the shards under the read's paths. */
  public static StructType of(AisClient client, ReadConfig options) {
    if (options.layout() != Layout.WEBDATASET) {
      return fixed(options);
    }
    try {
      StructType schema = ShardSchemas.inferWebDataset(client, options);
      for (StructField column : PartitionDiscovery.columns(client, options).fields()) {
        requireNewName(schema, column.name(), options);
        schema = schema.add(column);
      }
      return schema;
    } catch (AisException e) {
      throw new UncheckedIOException(
          "Cannot infer the webdataset columns of " + options.paths() + ": " + e.getMessage(), e);
    }
  }

  /** Refuses a partition column named as a column of the samples (Spark's names ignore case). */
  private static void requireNewName(StructType samples, String column, ReadConfig options) {
    for (String name : samples.fieldNames()) {
      if (name.equalsIgnoreCase(column)) {
        throw new IllegalArgumentException(
            "The partition directories under "
                + options.paths()
                + " ("
                + column
                + "=...) name the column '"
                + name
                + "' that the samples have too; rename the directories, or read below them");
      }
    }
  }

  /**
   * Checks a schema given for a read: a user schema is for the webdataset layout (its extension
   * columns); the others have fixed columns.
   */
  public static void check(ReadConfig options, StructType schema) {
    if (options.layout() == Layout.WEBDATASET) {
      StructType data = dataColumns(schema);
      // Without an extension column, a non-BINARY column is more likely a mistyped extension.
      ShardSchemas.validateWebDataset(
          ShardSchemas.extensionColumns(data).isEmpty() ? schema : data);
    } else if (!schema.equals(fixed(options))) {
      throw new IllegalArgumentException(
          "The "
              + options.layout().name().toLowerCase(Locale.ROOT)
              + " layout has fixed columns "
              + fixed(options).simpleString()
              + "; a schema can be given only with layout webdataset (got "
              + schema.simpleString()
              + ")");
    }
  }

  /**
   * The partition columns of a webdataset schema: those neither {@code __key__}, {@code __url__}
   * nor BINARY (an extension's), in order.
   */
  static StructType partitionColumns(StructType webdataset) {
    StructType out = new StructType();
    for (StructField f : webdataset.fields()) {
      if (isPartitionColumn(f)) {
        out = out.add(f);
      }
    }
    return out;
  }

  private static StructType dataColumns(StructType webdataset) {
    StructType out = new StructType();
    for (StructField f : webdataset.fields()) {
      if (!isPartitionColumn(f)) {
        out = out.add(f);
      }
    }
    return out;
  }

  private static boolean isPartitionColumn(StructField f) {
    return !f.name().equals(ShardSchemas.KEY)
        && !f.name().equals(ShardSchemas.URL)
        && !(f.dataType() instanceof BinaryType);
  }

  private static StructType fixed(ReadConfig options) {
    switch (options.layout()) {
      case OBJECTS:
        return ObjectSchema.SCHEMA;
      case MEMBERS:
        return ShardSchemas.MEMBERS;
      case ZIPPED:
        return ShardSchemas.zipped(options.paths().size());
      default:
        throw new IllegalStateException("the webdataset layout has no fixed schema");
    }
  }
}
