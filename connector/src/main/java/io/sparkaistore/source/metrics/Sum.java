package io.sparkaistore.source.metrics;

import org.apache.spark.sql.connector.metric.CustomSumMetric;

/** A summed metric with a fixed name and description. */
abstract class Sum extends CustomSumMetric {
  private final String name;
  private final String description;

  Sum(String name, String description) {
    this.name = name;
    this.description = description;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }
}
