package io.sparkaistore.source.write;

import java.util.List;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/** What one committed task attempt staged. */
final class AisCommitMessage implements WriterCommitMessage {
  private static final long serialVersionUID = 1L;

  final List<StagedObject> staged;

  AisCommitMessage(List<StagedObject> staged) {
    this.staged = List.copyOf(staged);
  }
}
