package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SourceListingTest {
  @Test
  void namesBelowThePathStartingWithUnderscoreAreNotData() {
    assertTrue(SourceListing.isHidden("train/", "train/_manifest.json"));
    assertTrue(SourceListing.isHidden("train/", "train/_temporary/q/0-1-0.tar"));
    assertTrue(SourceListing.isHidden("train/sh", "train/_x"));
    assertFalse(SourceListing.isHidden("train/", "train/shard-000000.tar"));
    assertFalse(
        SourceListing.isHidden("_data/", "_data/x.tar"), "the path itself may start with '_'");
    assertFalse(SourceListing.isHidden("", "a_b/c"));
  }

  @Test
  void aShardsIndexIsNotReadAsAShardButIsAnObject() {
    assertFalse(SourceListing.isData("train/", "train/shard-000000.tar.idx", true));
    assertFalse(SourceListing.isData("train/", "train/_manifest.json", true));
    assertTrue(SourceListing.isData("train/", "train/shard-000000.tar", true));
    assertTrue(
        SourceListing.isData("train/", "train/shard-000000.tar.idx", false),
        "the objects layout reads every object");
    assertFalse(SourceListing.isData("train/", "train/_manifest.json", false));
  }
}
