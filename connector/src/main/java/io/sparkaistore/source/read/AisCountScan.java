package io.sparkaistore.source.read;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code COUNT(*)} answered from the listing on the driver: no task, no object read. */
final class AisCountScan implements LocalScan {
  private static final StructType SCHEMA = new StructType().add("count", DataTypes.LongType, false);
  private final AisScan listingScan;

  AisCountScan(AisScan listingScan) {
    this.listingScan = listingScan;
  }

  @Override
  public InternalRow[] rows() {
    return new InternalRow[] {
      new GenericInternalRow(new Object[] {(long) listingScan.listing().size()})
    };
  }

  @Override
  public StructType readSchema() {
    return SCHEMA;
  }

  @Override
  public String description() {
    return "AisCountScan[" + listingScan.description() + "]";
  }
}
