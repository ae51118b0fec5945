package io.sparkaistore.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Turns the {@code Location} of an AIS redirect into a URI. AIS's proxy copies the decoded object
 * name into the redirect as it is unless the name holds {@code % ? # space +}, so a name with
 * {@code [ ] { } | ^ \ " < >}, a backtick or non-ASCII letters arrives unescaped, which
 * {@link URI#create} refuses. Escaping exactly the characters a URI cannot hold (and a {@code %} that
 * starts no escape) gives back the name AIS meant, and leaves every valid URI as it is.
 */
final class RedirectLocation {
  private static final String ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
      + "-._~:/?#@!$&'()*+,;=";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RedirectLocation() {}

  /** The URI that {@code location}, answered by {@code from}, points to. */
  static URI resolve(URI from, String location) {
    return from.resolve(escapeIllegal(location));
  }

  static String escapeIllegal(String location) {
    StringBuilder out = new StringBuilder(location.length() + 16);
    byte[] bytes = location.getBytes(StandardCharsets.UTF_8);
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
