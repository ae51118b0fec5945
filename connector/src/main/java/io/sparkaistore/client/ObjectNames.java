package io.sparkaistore.client;

import java.nio.charset.StandardCharsets;

/**
 * Which object names AIS keeps as they are (AIS 5.0). It refuses a name with a {@code .} or {@code
 * ..} component, a trailing {@code /} or a leading {@code ~/} ({@code cos.ValidateOname}, checked
 * by a target's PUT and by a rename). It takes a name with an empty component ({@code a//b}) or a
 * leading {@code /} but lists it under another name or not at all. It stores a name longer than
 * 3072 bytes, or whose file name is longer than 255 bytes, under a hash of the name ({@code
 * fs/fntl.go}), which a listing of its prefix does not show; a longer directory component fails the
 * PUT.
 */
public final class ObjectNames {
  /** AIS's {@code maxLenPath}: longer names are stored under a hash. */
  public static final int MAX_BYTES = 3072;

  /** AIS's {@code maxLenBasename}, a file system's limit for one component. */
  public static final int MAX_COMPONENT_BYTES = 255;

  private ObjectNames() {}

  /** Why AIS would refuse or rewrite {@code name}, or null when it keeps it as it is. */
  public static String problem(String name) {
    if (name.isEmpty()) {
      return "the name is empty";
    }
    if (name.endsWith("/")) {
      return "it ends with '/', which AIS refuses (a name that ends with '/' is a directory)";
    }
    return directoryProblem(name);
  }

  /**
   * Why AIS would refuse or rewrite names under {@code prefix} (a directory, ending with {@code /}
   * or empty), or null when it keeps them as they are.
   */
  public static String directoryProblem(String prefix) {
    if (prefix.indexOf('\0') >= 0) {
      return "it contains a NUL character, which no file system AIS stores objects on accepts";
    }
    if (prefix.startsWith("/")) {
      return "it starts with '/', which AIS drops";
    }
    if (prefix.startsWith("~/")) {
      return "it starts with '~/', which AIS refuses";
    }
    int bytes = prefix.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      return "it is "
          + bytes
          + " bytes long; AIS stores a name longer than "
          + MAX_BYTES
          + " bytes under a hash of "
          + "it, which a listing of the path does not show";
    }
    String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    for (String part : body.isEmpty() ? new String[0] : body.split("/", -1)) {
      String problem = componentProblem(part);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String componentProblem(String part) {
    if (part.isEmpty()) {
      return "it has an empty component ('//'), which AIS does not list under this name";
    }
    if (part.equals(".") || part.equals("..")) {
      return "it has a '" + part + "' component, which AIS refuses";
    }
    int bytes = part.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_COMPONENT_BYTES) {
      return "its component '"
          + part.substring(0, 20)
          + "...' is "
          + bytes
          + " bytes long; AIS keeps components of "
          + "at most "
          + MAX_COMPONENT_BYTES
          + " bytes (it stores a longer file name under a hash, which a listing "
          + "of the path does not show, and fails on a longer directory)";
    }
    return null;
  }

  /**
   * Whether AIS 5.0's {@code rename-obj} keeps {@code name} as it is. It cuts a new name at {@code
   * ?} and loses names with some {@code %} sequences or spaces when the name belongs to another
   * target (it passes the name on unescaped); names of letters, digits and {@code - . _ ~ /} are
   * safe.
   */
  public static boolean renameKeeps(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isUnreserved(c) && c != '/') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code c} is one of URI's unreserved characters (RFC 3986: letters, digits, {@code - .
   * _ ~}), which every layer passes on as it is and which have no other spelling.
   */
  public static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
