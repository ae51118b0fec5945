package io.sparkaistore.wds;

import java.io.IOException;

/**
 * A shard that breaks the WebDataset rules or is not a readable archive. Names the shard and, where
 * one is involved, the member, and says whether the whole shard is unreadable ({@link
 * #isCorruptShard()}) or only one sample or member is malformed.
 */
public final class WdsFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String shard;
  private final String member;
  private final boolean corruptShard;

  private WdsFormatException(
      String shard, String member, String problem, boolean corruptShard, Throwable cause) {
    super(
        "Shard " + shard + (member == null ? "" : ", member '" + member + "'") + ": " + problem,
        cause);
    this.shard = shard;
    this.member = member;
    this.corruptShard = corruptShard;
  }

  /** The shard cannot be read as an archive (not an archive, empty, truncated, corrupt). */
  public static WdsFormatException corruptShard(
      String shard, String member, String problem, Throwable cause) {
    return new WdsFormatException(shard, member, problem, true, cause);
  }

  /** One sample or member breaks a rule; the rest of the shard is readable. */
  public static WdsFormatException malformed(String shard, String member, String problem) {
    return new WdsFormatException(shard, member, problem, false, null);
  }

  public String shard() {
    return shard;
  }

  /** The member involved, or null. */
  public String member() {
    return member;
  }

  public boolean isCorruptShard() {
    return corruptShard;
  }
}
