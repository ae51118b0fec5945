package io.sparkaistore.wds;

import static io.sparkaistore.wds.TestShards.shard;
import static io.sparkaistore.wds.TestShards.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SampleReaderTest {
  private static SampleReader reader(byte[] shard, KeyRule rule, Predicate<String> selected)
      throws IOException {
    return new SampleReader(
        ShardReader.open(new ByteArrayInputStream(shard), "ais://b/s.tar"),
        rule,
        true,
        selected,
        1 << 20);
  }

  private static List<Sample> all(SampleReader r) throws IOException {
    List<Sample> out = new ArrayList<>();
    for (Sample s; (s = r.next()) != null; ) {
      out.add(s);
    }
    return out;
  }

  @Test
  void adjacentMembersFormSamplesInOrder() throws Exception {
    byte[] tar =
        shard()
            .add("sample_1.cls", "0")
            .add("sample_1.jpg", "J1")
            .add("sample_1.png", "P1")
            .add("sample_2.cls", "1")
            .add("sample_2.jpg", "J2")
            .add("sample_2.png", "P2")
            .tar();
    List<Sample> samples = all(reader(tar, KeyRule.WEBDATASET, e -> true));
    assertEquals(2, samples.size());
    assertEquals("sample_1", samples.get(0).key());
    assertEquals(List.of("cls", "jpg", "png"), new ArrayList<>(samples.get(0).members().keySet()));
    assertArrayEquals(utf8("P2"), samples.get(1).get("png"));
  }

  @Test
  void extensionlessMembersAndDirectoriesAreIgnored() throws Exception {
    byte[] tar =
        shard()
            .dir("data")
            .add("README", "read me")
            .add("sample_1.cls", "0")
            .add("sample_1.png", "P")
            .add("sample_1.jpg", "J")
            .tar();
    SampleReader r = reader(tar, KeyRule.WEBDATASET, e -> true);
    List<Sample> samples = all(r);
    assertEquals(1, samples.size());
    assertEquals(Set.of("cls", "png", "jpg"), samples.get(0).members().keySet());
    assertEquals(1, r.skippedMembers()); // README; the directory is no member at all
  }

  @Test
  void hiddenFilesAreNoSamplesAndAreCounted() throws Exception {
    byte[] tar =
        shard()
            .add("dir/._img.jpg", "apple double")
            .add("dir/img.jpg", "J")
            .add("dir/.DS_Store", "x")
            .add(".hidden.txt", "h")
            .tar();
    SampleReader r = reader(tar, KeyRule.WEBDATASET, e -> true);
    List<Sample> samples = all(r);
    assertEquals(1, samples.size());
    assertEquals("dir/img", samples.get(0).key());
    assertArrayEquals(utf8("J"), samples.get(0).get("jpg"));
    assertEquals(3, r.skippedMembers());
  }

  @Test
  void unselectedExtensionsAreNotRead() throws Exception {
    byte[] tar = shard().add("a.jpg", "J").add("a.cls", "7").tar();
    Sample s = reader(tar, KeyRule.WEBDATASET, "cls"::equals).next();
    assertEquals(Set.of("cls"), s.members().keySet());
    assertNull(s.get("jpg"));
  }

  @Test
  void extensionsAreLowercased() throws Exception {
    Sample s = reader(shard().add("a.JPG", "J").tar(), KeyRule.WEBDATASET, e -> true).next();
    assertArrayEquals(utf8("J"), s.get("jpg"));
  }

  @Test
  void aisPythonRuleDropsDirectoriesAndKeepsTheLastExtension() throws Exception {
    byte[] tar = shard().add("x/y.seg.png", "S").add("x/y.cls", "1").tar();
    Sample s = reader(tar, KeyRule.AIS_PYTHON, e -> true).next();
    assertEquals("y", s.key());
    assertEquals(Set.of("png", "cls"), s.members().keySet());
  }

  @Test
  void repeatedExtensionFailsNamingShardAndMemberThenReadingGoesOn() throws Exception {
    byte[] tar2 =
        shard().add("a.jpg", "1").add("a.JPG", "2").add("a.cls", "c").add("b.jpg", "3").tar();
    SampleReader r = reader(tar2, KeyRule.WEBDATASET, e -> true);
    WdsFormatException e = assertThrows(WdsFormatException.class, r::next);
    assertEquals("ais://b/s.tar", e.shard());
    assertEquals("a.JPG", e.member());
    assertFalse(e.isCorruptShard());
    assertTrue(
        e.getMessage().contains("extension 'jpg' repeats within sample 'a'"), e.getMessage());
    assertEquals("b", r.next().key(), "the rest of sample a is passed over");
    assertNull(r.next());
  }

  @Test
  void keyComingBackFailsNamingTheMember() throws Exception {
    byte[] tar =
        shard().add("a.jpg", "1").add("b.jpg", "2").add("a.cls", "3").add("c.jpg", "4").tar();
    SampleReader r = reader(tar, KeyRule.WEBDATASET, e -> true);
    assertEquals("a", r.next().key());
    assertEquals("b", r.next().key());
    WdsFormatException e = assertThrows(WdsFormatException.class, r::next);
    assertEquals("a.cls", e.member());
    assertTrue(e.getMessage().contains("must be adjacent"), e.getMessage());
    assertEquals("c", r.next().key());
  }

  @Test
  void keyComingBackWithSeveralMembersIsOneErrorAndReadingGoesOn() throws Exception {
    byte[] tar =
        shard()
            .add("a.jpg", "1")
            .add("b.jpg", "2")
            .add("a.cls", "3")
            .add("a.txt", "4")
            .add("c.jpg", "5")
            .add("d.jpg", "6")
            .tar();
    SampleReader r = reader(tar, KeyRule.WEBDATASET, e -> true);
    assertEquals("a", r.next().key());
    assertEquals("b", r.next().key());
    assertEquals("a.cls", assertThrows(WdsFormatException.class, r::next).member());
    assertEquals("c", r.next().key());
    assertEquals("d", r.next().key());
    assertNull(r.next());
  }

  @Test
  void memberOverTheLimitDropsItsSampleAndReadingGoesOn() throws Exception {
    byte[] tar =
        shard()
            .add("a.cls", "1")
            .add("a.bin", new byte[2000])
            .add("a.txt", "t")
            .add("b.bin", "ok")
            .tar();
    SampleReader r =
        new SampleReader(
            ShardReader.open(new ByteArrayInputStream(tar), "s"),
            KeyRule.WEBDATASET,
            true,
            e -> true,
            1000);
    assertEquals("a.bin", assertThrows(WdsFormatException.class, r::next).member());
    Sample b = r.next();
    assertEquals("b", b.key());
    assertArrayEquals(utf8("ok"), b.get("bin"));
    assertNull(r.next());
  }

  @Test
  void memberOverTheLimitFailsWithItsName() throws Exception {
    byte[] tar = shard().add("a.bin", new byte[2000]).tar();
    SampleReader r =
        new SampleReader(
            ShardReader.open(new ByteArrayInputStream(tar), "s"),
            KeyRule.WEBDATASET,
            true,
            e -> true,
            1000);
    WdsFormatException e = assertThrows(WdsFormatException.class, r::next);
    assertEquals("a.bin", e.member());
    assertTrue(e.getMessage().contains("maxMemberSize"), e.getMessage());
  }
}
