package io.sparkaistore.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partition;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.jdk.javaapi.CollectionConverters;

/** The custom metrics of the ais scan in a query's executed plan (read after an action ran). */
public final class ScanMetrics {
  private ScanMetrics() {}

  /**
   * Metric name to value; empty when the plan has no batch scan (e.g. a COUNT answered locally).
   */
  public static Map<String, Long> of(Dataset<?> df) {
    Map<String, Long> out = new HashMap<>();
    for (SparkPlan leaf :
        CollectionConverters.asJava(df.queryExecution().executedPlan().collectLeaves())) {
      if (leaf instanceof BatchScanExec) {
        Map<String, SQLMetric> metrics = CollectionConverters.asJava(leaf.metrics());
        metrics.forEach((name, metric) -> out.put(name, metric.value()));
      }
    }
    return out;
  }

  /** The preferred hosts of each input partition of the query's scan. */
  public static List<List<String>> preferredLocations(Dataset<?> df) {
    List<List<String>> out = new ArrayList<>();
    for (SparkPlan leaf :
        CollectionConverters.asJava(df.queryExecution().executedPlan().collectLeaves())) {
      if (leaf instanceof BatchScanExec batchScanExec) {
        RDD<InternalRow> rdd = batchScanExec.inputRDD();
        for (Partition p : rdd.partitions()) {
          out.add(CollectionConverters.asJava(rdd.preferredLocations(p)));
        }
      }
    }
    return out;
  }

  public static boolean hasBatchScan(Dataset<?> df) {
    return CollectionConverters.asJava(df.queryExecution().executedPlan().collectLeaves()).stream()
        .anyMatch(l -> l instanceof BatchScanExec);
  }
}
