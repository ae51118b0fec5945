package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.source.metrics.WriteMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;

/**
 * The {@code ais*} metrics of a write as the SQL tab shows them once the write is done: what Spark
 * aggregated from the tasks' and the driver's values, read through the UI's REST API ({@code
 * /api/v1/applications/<app>/sql/<id>}).
 */
public final class WriteMetricsOf {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private WriteMetricsOf() {}

  /** Runs {@code save} (a successful write) and returns its metrics by name. */
  public static Map<String, Long> save(SparkSession spark, Runnable save) throws Exception {
    List<Long> executions = new CopyOnWriteArrayList<>();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onOtherEvent(SparkListenerEvent event) {
            if (event instanceof SparkListenerSQLExecutionStart sparkListenerSQLExecutionStart) {
              executions.add(sparkListenerSQLExecutionStart.executionId());
            }
          }
        };
    spark.sparkContext().addSparkListener(listener);
    try {
      save.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    Map<String, String> names = new HashMap<>();
    for (CustomMetric m : WriteMetrics.all()) {
      names.put(m.description(), m.name());
    }
    Map<String, Long> metrics = new HashMap<>();
    List<String> writeNodes = new ArrayList<>();
    for (long id : executions) {
      for (JsonNode node : execution(spark, id).path("nodes")) {
        boolean write = false;
        for (JsonNode metric : node.path("metrics")) {
          String name = names.get(metric.path("name").asText());
          if (name != null) {
            metrics.put(name, Long.parseLong(metric.path("value").asText()));
            write = true;
          }
        }
        if (write) {
          writeNodes.add(id + ": " + node.path("nodeName").asText());
        }
      }
    }
    assertEquals(
        1, writeNodes.size(), "the plan nodes with write metrics in SQL executions " + executions);
    return metrics;
  }

  private static JsonNode execution(SparkSession spark, long id) throws Exception {
    URI uri =
        URI.create(
            spark.sparkContext().uiWebUrl().get()
                + "/api/v1/applications/"
                + spark.sparkContext().applicationId()
                + "/sql/"
                + id
                + "?details=true&planDescription=false");
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), uri + ": " + response.body());
    return new ObjectMapper().readTree(response.body());
  }
}
