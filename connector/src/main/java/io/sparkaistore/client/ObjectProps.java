package io.sparkaistore.client;

import java.net.http.HttpHeaders;
import java.time.Instant;

/** An object's properties as AIS reports them in response headers (HEAD, GET, PUT). */
public final class ObjectProps {
  private final long size;
  private final String checksumType;
  private final String checksum;
  private final String version;
  private final Instant atime;

  public ObjectProps(
      long size, String checksumType, String checksum, String version, Instant atime) {
    this.size = size;
    this.checksumType = checksumType;
    this.checksum = checksum;
    this.version = version;
    this.atime = atime;
  }

  static ObjectProps fromHeaders(HttpHeaders headers, long size) {
    Instant atime =
        headers
            .firstValue("Ais-Atime")
            .filter(s -> !s.isEmpty())
            .map(ns -> Instant.ofEpochSecond(0, Long.parseLong(ns)))
            .orElse(null);
    return new ObjectProps(
        size,
        headers.firstValue("Ais-Checksum-Type").orElse(null),
        headers.firstValue("Ais-Checksum-Value").orElse(null),
        headers.firstValue("Ais-Version").orElse(null),
        atime);
  }

  /** The whole object's size in bytes, or -1 when the response did not say. */
  public long size() {
    return size;
  }

  public String checksumType() {
    return checksumType;
  }

  public String checksum() {
    return checksum;
  }

  public String version() {
    return version;
  }

  public Instant atime() {
    return atime;
  }

  /**
   * Whether {@code other} describes the same content: same version and checksum where both are
   * known.
   */
  public boolean sameContentAs(ObjectProps other) {
    return same(version, other.version) && same(checksum, other.checksum);
  }

  private static boolean same(String a, String b) {
    return a == null || b == null || a.equals(b);
  }
}
