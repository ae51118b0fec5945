package io.sparkaistore.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Turns the {@code Location} of an AIS redirect into a URI. AIS's proxy copies the decoded object
 * name into the redirect as it is unless the name holds {@code % ? # space +}, so a name with
 * {@code [ ] { } | ^ \ " < >}, a backtick or non-ASCII letters arrives unescaped, which {@link
 * URI#create} refuses. Escaping exactly the characters a URI cannot hold (and a {@code %} that
 * starts no escape) gives back the name AIS meant, and leaves every valid URI as it is.
 */
final class RedirectLocation {
  private static final String ALLOWED =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" + "-._~:/?#@!$&'()*+,;=";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RedirectLocation() {}

  /** The URI that {@code location}, answered by {@code from}, points to. */
  static URI resolve(URI from, String location) {
    return from.resolve(escapeIllegal(location));
  }

  /**
   * Escapes what follows the scheme and authority (an IPv6 host keeps its brackets). The JDK hands
   * header values over one character per byte, so a name's UTF-8 bytes are taken back as they came.
   */
  static String escapeIllegal(String location) {
    int authority = location.indexOf("://");
    int pathStart = 0;
    if (authority >= 0) {
      pathStart = authority + 3;
      while (pathStart < location.length() && "/?#".indexOf(location.charAt(pathStart)) < 0) {
        pathStart++;
      }
    }
    boolean bytewise = location.chars().allMatch(c -> c <= 0xff);
    byte[] bytes =
        location
            .substring(pathStart)
            .getBytes(bytewise ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(location.length() + 16).append(location, 0, pathStart);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b < 0x80 && (ALLOWED.indexOf(b) >= 0 || (b == '%' && startsEscape(bytes, i)))) {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }

  private static boolean startsEscape(byte[] bytes, int i) {
    return i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]);
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }
}
