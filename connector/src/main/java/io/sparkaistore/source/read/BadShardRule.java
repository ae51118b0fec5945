package io.sparkaistore.source.read;

import io.sparkaistore.source.options.AisOptions;
import io.sparkaistore.wds.WdsFormatException;
import java.io.IOException;
import java.io.Serializable;

/**
 * What a read does with a shard it cannot read (a corrupt shard) or a sample it cannot form (a
 * malformed sample): skip it, or fail naming it and the option that would skip it.
 */
final class BadShardRule implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean skipCorruptShards;
  private final boolean dropMalformed;
  private final boolean explain;

  private BadShardRule(boolean skipCorruptShards, boolean dropMalformed, boolean explain) {
    this.skipCorruptShards = skipCorruptShards;
    this.dropMalformed = dropMalformed;
    this.explain = explain;
  }

  /** Skips or fails as the options say, explaining which option would skip. */
  static BadShardRule of(boolean skipCorruptShards, boolean dropMalformed) {
    return new BadShardRule(skipCorruptShards, dropMalformed, true);
  }

  /** Fails with the format error itself: a zipped read has no skip options. */
  static BadShardRule failAsIs() {
    return new BadShardRule(false, false, false);
  }

  /**
   * Returns when {@code e} may be skipped; throws what the read fails with otherwise. Corruption
   * found after rows of the shard were returned (a gzip or zip check at the end of the stream, a
   * cut member) fails in every mode: those rows are already on their way, and a skipped shard must
   * contribute none.
   */
  void skipOrThrow(WdsFormatException e, long rowsOfShard) throws IOException {
    if (!explain) {
      throw e;
    }
    if (e.isCorruptShard() && rowsOfShard > 0) {
      throw new IOException(
          e.getMessage()
              + ". Found after "
              + rowsOfShard
              + " row(s) of this shard were returned, "
              + "so the read fails in every mode rather than keep rows of a corrupt shard; repair or remove the object.",
          e);
    }
    boolean skip = e.isCorruptShard() ? skipCorruptShards : dropMalformed;
    if (!skip) {
      throw new IOException(
          e.getMessage()
              + (e.isCorruptShard()
                  ? ". Set option '"
                      + AisOptions.IGNORE_CORRUPT_FILES
                      + "' (or mode DROPMALFORMED) to skip such objects."
                  : ". Set option '"
                      + AisOptions.MODE
                      + "' to DROPMALFORMED to skip such samples."),
          e);
    }
  }
}
