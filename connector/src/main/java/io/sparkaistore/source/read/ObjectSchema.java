package io.sparkaistore.source.read;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The columns of the {@code objects} layout: one row per object. */
public final class ObjectSchema {
  public static final String BUCKET = "bucket";
  public static final String NAME = "name";
  public static final String SIZE = "size";
  public static final String VERSION = "version";
  public static final String CHECKSUM = "checksum";
  public static final String ATIME = "atime";
  public static final String CONTENT = "content";

  /**
   * bucket, name, size, version, checksum, atime, content; the optional properties are nullable.
   */
  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(BUCKET, DataTypes.StringType, false),
            DataTypes.createStructField(NAME, DataTypes.StringType, false),
            DataTypes.createStructField(SIZE, DataTypes.LongType, false),
            DataTypes.createStructField(VERSION, DataTypes.StringType, true),
            DataTypes.createStructField(CHECKSUM, DataTypes.StringType, true),
            DataTypes.createStructField(ATIME, DataTypes.TimestampType, true),
            DataTypes.createStructField(CONTENT, DataTypes.BinaryType, true)
          });

  private ObjectSchema() {}
}
