package io.sparkaistore.wds;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A strict, streaming reader of POSIX (ustar, pax) and GNU tar archives. Every header's checksum is
 * verified, so a data block is never taken for a header; names are UTF-8 whatever the JVM's locale,
 * from pax {@code path} records first, then GNU long names, then the ustar prefix and name. A
 * stream that ends inside a header or a member's data is an error; one that ends at a block
 * boundary, with or without the end-of-archive blocks, ends the archive (as for GNU tar and
 * Python's tarfile). What follows the first end-of-archive block is read to the end and ignored, so
 * that a compressed stream's trailer (gzip's CRC and length, lz4's checksum) is checked before the
 * archive counts as read.
 *
 * <p>Shards are read through {@link ShardReader}; a tar that is not a shard (AIS's GetBatch answer)
 * is read with this class directly.
 */
public final class TarStream implements ArchiveStream {
  static final int BLOCK = 512;

  /** Bound on pax and GNU long-name records, which are read into memory. */
  private static final int MAX_META_RECORD = 1 << 20;

  private final InputStream in;
  private final String shard;
  private final long objectSize; // bytes the stream can hold, or -1 when unknown (compressed)
  private final byte[] header = new byte[BLOCK];
  private final byte[] skipBuffer = new byte[64 * 1024];
  private long position; // bytes consumed from the stream
  private Content current;
  private String lastMember;
  private long skipped;
  private boolean ended;

  /** A tar stream of unknown length, named {@code archive} in messages. */
  public TarStream(InputStream in, String archive) {
    this(in, archive, -1);
  }

  TarStream(InputStream in, String shard, long objectSize) {
    this(in, shard, objectSize, 0);
  }

  /**
   * A stream that starts at {@code startOffset} of the archive, at a header: offsets, and the bound
   * of {@code objectSize}, stay those of the whole archive.
   */
  TarStream(InputStream in, String shard, long objectSize, long startOffset) {
    this.in = in;
    this.shard = shard;
    this.objectSize = objectSize;
    this.position = startOffset;
  }

  @Override
  public long skippedEntries() {
    return skipped;
  }

  @Override
  public ShardMember next() throws IOException {
    if (ended) {
      return null;
    }
    if (current != null) {
      current.skipRest();
      current = null;
    }
    String paxPath = null;
    String gnuLongName = null;
    Long paxSize = null;
    while (true) {
      long headerOffset = position;
      if (!readHeader()) {
        if (paxPath != null || paxSize != null || gnuLongName != null) {
          throw corrupt(
              headerOffset,
              "the archive ends after an extended header, before the member it describes");
        }
        return finish();
      }
      char type = (char) header[156];
      // A pax size record applies to the member, below, not to extended headers.
      long size = parseSize(headerOffset);
      switch (type) {
        case 'x':
          Map<String, String> records =
              paxRecords(readMetaRecord(size, headerOffset, "pax header"), headerOffset);
          paxPath = records.getOrDefault("path", paxPath);
          if (records.containsKey("size")) {
            paxSize = paxNumber(records.get("size"), headerOffset);
          }
          continue;
        case 'g':
          // holds defaults for archivers, no member
          skipData(size, headerOffset, "pax global header");
          continue;
        case 'L':
          gnuLongName =
              utf8UpToNul(readMetaRecord(size, headerOffset, "GNU long name"), headerOffset);
          continue;
        case 'K':
          // only links use it, and links are skipped
          readMetaRecord(size, headerOffset, "GNU long link name");
          continue;
        case 'S':
        case 'M':
          throw corrupt(
              headerOffset,
              "a GNU "
                  + (type == 'S' ? "sparse" : "multi-volume")
                  + " member, which shards cannot hold; rewrite the shard without --sparse or --multi-volume");
        default:
          break;
      }
      String name =
          paxPath != null ? paxPath : gnuLongName != null ? gnuLongName : ustarName(headerOffset);
      size = paxSize != null ? paxSize : size;
      paxPath = null;
      gnuLongName = null;
      paxSize = null;
      boolean oldStyleDirectory = type == '\0' && name.endsWith("/");
      if ((type == '0' || type == '\0' || type == '7') && !oldStyleDirectory) {
        return member(name, size, headerOffset);
      }
      if (type == '1' || type == '2' || type == '3' || type == '4' || type == '6') {
        skipped++; // links and special files: no content follows, whatever the size field says
      } else if (type != '5' && !oldStyleDirectory) {
        skipData(
            size,
            headerOffset,
            "entry of type '" + type + "'"); // unknown types carry data, as tarfile assumes
      }
    }
  }

  private ShardMember member(String name, long size, long headerOffset) throws IOException {
    boolean verified = false;
    if (objectSize >= 0) {
      long available = objectSize - position;
      if (size > available) {
        throw WdsFormatException.corruptShard(
            shard,
            name,
            "the header at offset "
                + headerOffset
                + " claims "
                + size
                + " bytes of content, but the object holds only "
                + Math.max(available, 0)
                + " more: a truncated or corrupt archive",
            null);
      }
      verified = true;
    }
    lastMember = name;
    current = new Content(name, size, headerOffset);
    return new ShardMember(name, size, headerOffset, verified, current);
  }

  /**
   * Reads the next header block; false at the end of the archive (a zero block, or the end of the
   * stream at a block boundary). Fails on a partial block or a checksum that does not match.
   */
  private boolean readHeader() throws IOException {
    long offset = position;
    int n = in.readNBytes(header, 0, BLOCK);
    position += n;
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      if (isZero(header, n)) {
        return false; // zero padding cut short: still nothing but the end of the archive
      }
      throw corrupt(offset, "the stream ends inside a header (" + n + " of " + BLOCK + " bytes)");
    }
    if (isZero(header, BLOCK)) {
      return false;
    }
    if (!checksumMatches(header)) {
      throw corrupt(offset, "header checksum mismatch: not a tar header, or a corrupt one");
    }
    return true;
  }

  /**
   * Reads what follows the end-of-archive block, so that a compressed stream verifies its trailer.
   */
  private ShardMember finish() throws IOException {
    ended = true;
    while (in.read(skipBuffer) >= 0) {
      // Padding up to the record size, or whatever an archiver appended: no reader takes it as
      // members.
    }
    return null;
  }

  private String ustarName(long headerOffset) throws WdsFormatException {
    String name = field(0, 100, headerOffset);
    boolean posix =
        header[257] == 'u'
            && header[258] == 's'
            && header[259] == 't'
            && header[260] == 'a'
            && header[261] == 'r'
            && header[262] == 0;
    if (posix && header[345] != 0) {
      return field(345, 155, headerOffset)
          // GNU tar uses these bytes for times, so only for ustar\0.
          + "/"
          + name;
    }
    return name;
  }

  private long parseSize(long headerOffset) throws WdsFormatException {
    long size;
    if ((header[124] & 0x80) != 0) {
      size = parseBase256(header, 124, 12); // GNU and star: sizes of 8 GiB and more
    } else if (isBlank(header, 124, 12)) {
      size = 0; // some archivers leave the size of links and directories blank
    } else {
      size = parseOctal(header, 124, 12);
    }
    if (size < 0) {
      throw corrupt(headerOffset, "the header's size field is not a number");
    }
    return size;
  }

  private byte[] readMetaRecord(long size, long headerOffset, String what) throws IOException {
    if (size > MAX_META_RECORD) {
      throw corrupt(
          headerOffset,
          "a "
              + what
              + " of "
              + size
              + " bytes, over the "
              + MAX_META_RECORD
              + " this reader accepts");
    }
    byte[] bytes = new byte[(int) size];
    int n = in.readNBytes(bytes, 0, bytes.length);
    position += n;
    if (n < size) {
      throw corrupt(headerOffset, "the stream ends inside a " + what);
    }
    skipPadding(size);
    return bytes;
  }

  /**
   * Pax records, each {@code "<length> <key>=<value>\n"} with the length in bytes, the record
   * included.
   */
  private Map<String, String> paxRecords(byte[] data, long headerOffset) throws WdsFormatException {
    Map<String, String> records = new HashMap<>();
    int i = 0;
    while (i < data.length && data[i] != 0) {
      int space = i;
      long length = 0;
      while (space < data.length
          && data[space] >= '0'
          && data[space] <= '9'
          && length < data.length) {
        length = length * 10 + (data[space++] - '0');
      }
      int end = (int) Math.min(i + length, Integer.MAX_VALUE);
      if (space == i
          || length < space - i + 4
          || space >= data.length
          || data[space] != ' '
          || length > data.length - i
          || data[end - 1] != '\n') {
        throw corrupt(headerOffset, "a malformed pax record at byte " + i + " of the pax header");
      }
      int eq = space + 1;
      while (eq < end - 1 && data[eq] != '=') {
        eq++;
      }
      if (eq == space + 1 || eq == end - 1) {
        throw corrupt(
            headerOffset, "a pax record without a key at byte " + i + " of the pax header");
      }
      String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      if (key.equals("path")
          || key.equals("size")) { // others (xattrs, say) may hold any bytes, and are not used
        records.put(key, utf8(data, eq + 1, end - 1 - (eq + 1), headerOffset));
      }
      i = end;
    }
    return records;
  }

  private long paxNumber(String value, long headerOffset) throws WdsFormatException {
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw corrupt(headerOffset, "a pax size record that is not a size: '" + value + "'");
  }

  private void skipData(long size, long headerOffset, String what) throws IOException {
    long left = size;
    while (left > 0) {
      int n = in.read(skipBuffer, 0, (int) Math.min(left, skipBuffer.length));
      if (n < 0) {
        throw corrupt(headerOffset, "the stream ends inside the data of a " + what);
      }
      position += n;
      left -= n;
    }
    skipPadding(size);
  }

  /**
   * Skips the bytes that fill a member's last block; a stream that ends there is cut, as for GNU
   * tar and tarfile.
   */
  private void skipPadding(long size) throws IOException {
    long start = position;
    long left = (BLOCK - size % BLOCK) % BLOCK;
    while (left > 0) {
      int n = in.read(skipBuffer, 0, (int) left);
      if (n < 0) {
        throw corrupt(
            start, "the stream ends inside the padding after the data: a truncated archive");
      }
      position += n;
      left -= n;
    }
  }

  private WdsFormatException corrupt(long offset, String problem) {
    return WdsFormatException.corruptShard(
        shard,
        lastMember,
        "at offset "
            + offset
            + ", "
            + (lastMember == null ? "before any member" : "after this member")
            + ": "
            + problem,
        null);
  }

  private String field(int offset, int length, long headerOffset) throws WdsFormatException {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return utf8(header, offset, end - offset, headerOffset);
  }

  private String utf8UpToNul(byte[] bytes, long headerOffset) throws WdsFormatException {
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return utf8(bytes, 0, end, headerOffset);
  }

  /**
   * A name as UTF-8, strictly: replacing undecodable bytes would merge distinct names (two Latin-1
   * names into one sample), so a name that is not UTF-8 fails instead.
   */
  private String utf8(byte[] bytes, int offset, int length, long headerOffset)
      throws WdsFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw corrupt(
          headerOffset,
          "a member name that is not UTF-8 ("
              + new String(bytes, offset, length, StandardCharsets.ISO_8859_1)
              + " read as Latin-1); rewrite the shard "
              + "with UTF-8 names");
    }
  }

  /**
   * Whether {@code block} carries a valid header checksum: the sum of its bytes with the checksum
   * field read as spaces, unsigned as POSIX says or signed as some old archivers wrote it.
   */
  static boolean checksumMatches(byte[] block) {
    long stored = parseOctal(block, 148, 8);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = (i >= 148 && i < 156) ? (byte) ' ' : block[i];
      unsigned += b & 0xff;
      signed += b;
    }
    return stored >= 0 && (stored == unsigned || stored == signed);
  }

  private static boolean isBlank(byte[] b, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (b[i] != 0 && b[i] != ' ') {
        return false;
      }
    }
    return true;
  }

  /** Whether the first {@code length} bytes are zeros: an end-of-archive block. */
  static boolean isZero(byte[] b, int length) {
    for (int i = 0; i < length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** An octal field: optional leading spaces, digits, then NUL or space; -1 when it is not one. */
  static long parseOctal(byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end && b[i] == ' ') {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end && b[i] >= '0' && b[i] <= '7'; i++, digits++) {
      value = (value << 3) + (b[i] - '0');
    }
    for (; i < end; i++) {
      if (b[i] != 0 && b[i] != ' ') {
        return -1;
      }
    }
    return digits == 0 || digits > 21 ? -1 : value;
  }

  /**
   * GNU's base-256 number: the first byte's high bit set, the rest big-endian; -1 when negative or
   * too large.
   */
  static long parseBase256(byte[] b, int offset, int length) {
    if ((b[offset] & 0x40) != 0) {
      return -1;
    }
    long value = b[offset] & 0x3f;
    for (int i = offset + 1; i < offset + length; i++) {
      if ((value >>> 55) != 0) {
        return -1;
      }
      value = (value << 8) | (b[i] & 0xff);
    }
    return value;
  }

  /**
   * A member's content: exactly its size, then its padding skipped when the next member is
   * requested.
   */
  private final class Content extends InputStream {
    private final String name;
    private final long size;
    private final long headerOffset;
    private long left;

    Content(String name, long size, long headerOffset) {
      this.name = name;
      this.size = size;
      this.headerOffset = headerOffset;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (current != this) {
        throw new IllegalStateException(
            "member " + name + " was passed over: read a member before asking for the next one");
      }
      if (left == 0) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw WdsFormatException.corruptShard(
            shard,
            name,
            "content ends after "
                + (size - left)
                + " of "
                + size
                + " bytes (member at offset "
                + headerOffset
                + "): a truncated archive",
            null);
      }
      position += n;
      left -= n;
      return n;
    }

    void skipRest() throws IOException {
      while (left > 0) {
        read(skipBuffer, 0, (int) Math.min(left, skipBuffer.length));
      }
      skipPadding(size);
    }

    @Override
    public void close() {
      // The archive stays open for the next member.
    }
  }
}
