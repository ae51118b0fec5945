package io.sparkaistore.wds;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** One WebDataset sample: its key and the content of each selected extension, in archive order. */
public final class Sample {
  private final String key;
  private final Map<String, byte[]> members = new LinkedHashMap<>();
  private final Set<String> extensions = new LinkedHashSet<>();

  Sample(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** Extension to content, for the selected extensions the sample has. */
  public Map<String, byte[]> members() {
    return Collections.unmodifiableMap(members);
  }

  /** The content for {@code extension}, or null when the sample has none. */
  public byte[] get(String extension) {
    return members.get(extension);
  }

  /** Every extension the sample has in the shard, read or not. */
  public Set<String> extensions() {
    return Collections.unmodifiableSet(extensions);
  }

  /** Records an extension; returns false when the sample already has it. */
  boolean addExtension(String extension) {
    return extensions.add(extension);
  }

  void put(String extension, byte[] content) {
    members.put(extension, content);
  }
}
