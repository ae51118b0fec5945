package io.sparkaistore.it;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.jdk.javaapi.CollectionConverters;

/** The {@code ais*} metrics of a write, as the SQL tab shows them once the write is done. */
public final class WriteMetricsOf {
  private WriteMetricsOf() {}

  /** Runs {@code save} (a successful write) and returns its metrics by name. */
  public static Map<String, Long> save(SparkSession spark, Runnable save) throws Exception {
    Map<String, Long> metrics = new ConcurrentHashMap<>();
    QueryExecutionListener listener = new QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        qe.executedPlan().foreach(node -> {
          CollectionConverters.asJava(node.metrics()).forEach((name, metric) -> {
            if (name.startsWith("ais")) {
              metrics.put(name, metric.value());
            }
          });
          return null;
        });
      }

      @Override
      public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
    };
    spark.listenerManager().register(listener);
    try {
      save.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(listener);
    }
    return metrics;
  }
}
