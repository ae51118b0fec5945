package io.sparkaistore.source.write;

import java.util.List;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/** What one committed task attempt staged, and the retries it took. */
final class AisCommitMessage implements WriterCommitMessage {
  private static final long serialVersionUID = 1L;

  final List<StagedObject> staged;
  final long retries;

  AisCommitMessage(List<StagedObject> staged, long retries) {
    this.staged = List.copyOf(staged);
    this.retries = retries;
  }
}
