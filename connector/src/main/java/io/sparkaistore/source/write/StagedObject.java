package io.sparkaistore.source.write;

import java.io.Serializable;

/**
 * An object a task attempt uploaded, and what the job commit needs to publish it: either a whole
 * object under a staging name, to be renamed into place, or a pending multipart upload under its
 * final name, to be completed. A shard may carry its DALI index, uploaded the same way, which is
 * published, removed and abandoned with it.
 */
final class StagedObject implements Serializable {
  private static final long serialVersionUID = 4L;

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

  /** The shard's index ({@code <final name>.idx}), uploaded as the shard was; null for none. */
  final StagedObject index;

  /** The partition directory below the path ({@code split=train/}); empty when unpartitioned. */
  final String directory;

  private StagedObject(
      String stagingName,
      String finalName,
      String uploadId,
      int parts,
      int partitionId,
      int sequence,
      long samples,
      long bytes,
      long crc32c,
      StagedObject index,
      String directory) {
    this.stagingName = stagingName;
    this.finalName = finalName;
    this.uploadId = uploadId;
    this.parts = parts;
    this.partitionId = partitionId;
    this.sequence = sequence;
    this.samples = samples;
    this.bytes = bytes;
    this.crc32c = crc32c;
    this.index = index;
    this.directory = directory;
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
        stagingName, finalName, null, 0, partitionId, sequence, samples, bytes, crc32c, null, "");
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
        null, finalName, uploadId, parts, partitionId, sequence, samples, bytes, crc32c, null, "");
  }

  /** This shard with its index, staged or pending as the shard is. */
  StagedObject withIndex(StagedObject index) {
    return new StagedObject(
        stagingName,
        finalName,
        uploadId,
        parts,
        partitionId,
        sequence,
        samples,
        bytes,
        crc32c,
        index,
        directory);
  }

  /** This object (and its index) in the partition directory {@code partition}. */
  StagedObject inDirectory(String partition) {
    return new StagedObject(
        stagingName,
        finalName,
        uploadId,
        parts,
        partitionId,
        sequence,
        samples,
        bytes,
        crc32c,
        index == null ? null : index.inDirectory(partition),
        partition);
  }

  boolean isPending() {
    return uploadId != null;
  }
}
