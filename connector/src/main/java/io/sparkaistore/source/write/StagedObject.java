package io.sparkaistore.source.write;

import java.io.Serializable;

/** An object a task uploaded under a staging name, and what the job commit needs to know of it. */
final class StagedObject implements Serializable {
  private static final long serialVersionUID = 1L;

  final String stagingName;
  /** The final name for an object row; null for a shard, which is numbered at job commit. */
  final String finalName;
  final int partitionId;
  final int sequence;
  final long samples;
  final long bytes;
  /** CRC-32C of the object's bytes. */
  final long crc32c;

  StagedObject(String stagingName, String finalName, int partitionId, int sequence, long samples, long bytes, long crc32c) {
    this.stagingName = stagingName;
    this.finalName = finalName;
    this.partitionId = partitionId;
    this.sequence = sequence;
    this.samples = samples;
    this.bytes = bytes;
    this.crc32c = crc32c;
  }
}
