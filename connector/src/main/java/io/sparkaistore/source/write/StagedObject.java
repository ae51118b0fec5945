package io.sparkaistore.source.write;

import java.io.Serializable;

/**
 * An object a task attempt uploaded, and what the job commit needs to publish it: either a whole
 * object under a staging name, to be renamed into place, or a pending multipart upload under its
 * final name, to be completed.
 */
final class StagedObject implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Where a staged object is; null for a pending upload. */
  final String stagingName;

  /** The final name; null for a sequentially named shard, which is numbered at job commit. */
  final String finalName;

  /** The pending multipart upload under {@link #finalName}; null for a staged object. */
  final String uploadId;

  final int parts;
  final int partitionId;
  final int sequence;
  final long samples;
  final long bytes;

  /** CRC-32C of the object's bytes. */
  final long crc32c;

  private StagedObject(
      String stagingName,
      String finalName,
      String uploadId,
      int parts,
      int partitionId,
      int sequence,
      long samples,
      long bytes,
      long crc32c) {
    this.stagingName = stagingName;
    this.finalName = finalName;
    this.uploadId = uploadId;
    this.parts = parts;
    this.partitionId = partitionId;
    this.sequence = sequence;
    this.samples = samples;
    this.bytes = bytes;
    this.crc32c = crc32c;
  }

  /**
   * A whole object under {@code stagingName}; {@code finalName} null to number it at job commit.
   */
  static StagedObject staged(
      String stagingName,
      String finalName,
      int partitionId,
      int sequence,
      long samples,
      long bytes,
      long crc32c) {
    return new StagedObject(
        stagingName, finalName, null, 0, partitionId, sequence, samples, bytes, crc32c);
  }

  /**
   * A multipart upload of {@code parts} parts under {@code finalName}, left for the job commit to
   * complete.
   */
  static StagedObject pending(
      String finalName,
      String uploadId,
      int parts,
      int partitionId,
      int sequence,
      long samples,
      long bytes,
      long crc32c) {
    return new StagedObject(
        null, finalName, uploadId, parts, partitionId, sequence, samples, bytes, crc32c);
  }

  boolean isPending() {
    return uploadId != null;
  }
}
