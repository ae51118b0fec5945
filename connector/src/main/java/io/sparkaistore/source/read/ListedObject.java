package io.sparkaistore.source.read;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.ObjectEntry;
import java.io.Serializable;

/** An object found by the driver's listing, shipped to the executor that reads it. */
final class ListedObject implements Serializable {
  private static final long serialVersionUID = 1L;

  final AisBucket bucket;
  final ObjectEntry entry;

  ListedObject(AisBucket bucket, ObjectEntry entry) {
    this.bucket = bucket;
    this.entry = entry;
  }

  String name() {
    return entry.name();
  }

  long size() {
    return entry.size();
  }

  @Override
  public String toString() {
    return bucket + "/" + entry.name();
  }
}
