package io.sparkaistore.wds;

import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Groups a shard's members into WebDataset samples as the stream goes: adjacent members with the
 * same key form a sample; members without a key under the {@link KeyRule}, and entries that are not
 * regular files, are passed over and counted ({@link #skippedMembers()}). At most one sample is
 * held: a member of the next sample is recognised by its name before any of its content is read.
 *
 * <p>Breaking the rules is an error naming the shard and the member: an extension repeated within a
 * sample, or a key that comes back after another key (its members are not adjacent). After such an
 * error the reader can go on: the rest of a sample with a repeated extension is passed over, and
 * the next call returns the next well-formed sample.
 */
public final class SampleReader implements SampleSource {
  private final ShardReader shard;
  private final KeyRule rule;
  private final boolean lowercaseExtensions;
  private final Predicate<String> selected;
  private final long maxMemberSize;
  private Predicate<String> keys = key -> true;
  private final Set<String> finishedKeys = new HashSet<>();
  private ShardMember pending; // first member of the next sample, its content not yet read
  private String[] pendingSplit;
  private String droppedKey; // the malformed sample whose remaining members are passed over
  private WdsFormatException misplaced; // a member whose key came back, reported on the next call
  private boolean done;
  private long unkeyed;

  /**
   * @param selected which extensions to read; the content of others is skipped in the stream
   * @param maxMemberSize the largest member content read into memory, in bytes
   */
  public SampleReader(
      ShardReader shard,
      KeyRule rule,
      boolean lowercaseExtensions,
      Predicate<String> selected,
      long maxMemberSize) {
    this.shard = shard;
    this.rule = rule;
    this.lowercaseExtensions = lowercaseExtensions;
    this.selected = selected;
    this.maxMemberSize = maxMemberSize;
  }

  /**
   * Returns only the samples whose key {@code wanted} accepts; the content of the others is skipped
   * in the stream.
   */
  public SampleReader withKeys(Predicate<String> wanted) {
    this.keys = wanted;
    return this;
  }

  /** The next sample (of the wanted keys), or null at the end of the shard. */
  @Override
  public Sample next() throws IOException {
    while (true) {
      if (misplaced != null || !advanceToSampleMember()) {
        return reportMisplaced();
      }
      Sample sample = readSample();
      if (keys.test(sample.key())) {
        return sample;
      }
    }
  }

  private Sample readSample() throws IOException {
    Sample sample = new Sample(pendingSplit[0]);
    boolean wanted = keys.test(sample.key());
    do {
      String ext = pendingSplit[1];
      ShardMember member = pending;
      pending = null;
      if (!sample.addExtension(ext)) {
        throw dropSample(
            sample.key(),
            WdsFormatException.malformed(
                shard.shard(),
                member.name(),
                "extension '" + ext + "' repeats within sample '" + sample.key() + "'"));
      }
      if (wanted && selected.test(ext)) {
        try {
          sample.put(ext, member.readContent(maxMemberSize, shard.shard()));
        } catch (WdsFormatException e) {
          throw e.isCorruptShard() ? e : dropSample(sample.key(), e);
        }
      }
    } while (misplaced == null && advanceToSampleMember() && pendingSplit[0].equals(sample.key()));
    finishedKeys.add(sample.key());
    return sample;
  }

  /** Passes over the rest of a malformed sample, so that the next call reads the next one. */
  private WdsFormatException dropSample(String key, WdsFormatException e) {
    droppedKey = key;
    finishedKeys.add(key);
    return e;
  }

  /**
   * The end of the shard, unless the stream stopped at a member whose key came back: then that
   * error.
   */
  private Sample reportMisplaced() throws WdsFormatException {
    if (misplaced == null) {
      return null;
    }
    WdsFormatException e = misplaced;
    misplaced = null;
    throw e;
  }

  /**
   * Moves {@code pending} to the next member that belongs to a sample, if it is not there already.
   * Returns false at the end of the shard, or at a member whose key came back (kept in {@code
   * misplaced}, so that the sample being read still completes).
   */
  private boolean advanceToSampleMember() throws IOException {
    while (pending == null && !done && misplaced == null) {
      ShardMember member = shard.next();
      if (member == null) {
        done = true;
        return false;
      }
      String[] split = rule.split(member.name());
      if (split == null) {
        unkeyed++;
        continue;
      }
      if (lowercaseExtensions) {
        split[1] = split[1].toLowerCase(Locale.ROOT);
      }
      if (split[0].equals(droppedKey)) {
        continue;
      }
      droppedKey = null;
      if (finishedKeys.contains(split[0])) {
        // One error for the whole run of members that came back; the rest of them are passed over.
        misplaced =
            WdsFormatException.malformed(
                shard.shard(),
                member.name(),
                "key '"
                    + split[0]
                    + "' comes back after other keys: a sample's members must be adjacent in the shard");
        droppedKey = split[0];
        return false;
      }
      pending = member;
      pendingSplit = split;
    }
    return pending != null;
  }

  /**
   * Members passed over so far because they belong to no sample (no key under the rule: no
   * extension, or a hidden file such as {@code dir/.DS_Store}), plus entries that are not regular
   * files.
   */
  @Override
  public long skippedMembers() {
    return unkeyed + shard.skippedEntries();
  }

  @Override
  public void close() throws IOException {
    shard.close();
  }
}
