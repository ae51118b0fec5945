package io.sparkaistore.wds;

/** Which sample keys a WebDataset reader gets back unchanged from the member names they produce. */
public final class WdsKeys {
  /** The sample field that holds the key, in the WebDataset convention. */
  public static final String KEY = "__key__";

  /** The sample field that names the shard a sample came from. */
  public static final String URL = "__url__";

  private WdsKeys() {}

  /**
   * Why {@code key} cannot name a sample, or null when it can. A key becomes the members {@code
   * <key>.<extension>}; readers take the key back as the directories plus the file name up to its
   * first dot, so the file name part needs a character and no dot, and the path must be one a tar
   * keeps as it is.
   */
  public static String problem(String key) {
    if (key == null || key.isEmpty()) {
      return "the key is empty";
    }
    if (key.indexOf('\0') >= 0) {
      return "the key contains a NUL character";
    }
    if (key.startsWith("/")) {
      return "the key is an absolute path; tar tools strip the leading '/'";
    }
    String file = key.substring(key.lastIndexOf('/') + 1);
    if (file.isEmpty()) {
      return "the key ends with '/', so its members would have no file name";
    }
    if (file.indexOf('.') >= 0) {
      return "the key's file name '"
          + file
          + "' contains a dot; readers split member names at the first dot of"
          + " the file name, so '"
          + key
          + ".jpg' would come back as key '"
          + key.substring(0, key.length() - file.length() + file.indexOf('.'))
          + "'. Replace the dots, e.g. with '_'";
    }
    for (String part : key.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return "the key has an empty, '.' or '..' directory, which tar tools rewrite";
      }
      if (part.length() > 4 && part.startsWith("__") && part.endsWith("__")) {
        return "'" + part + "' looks like WebDataset metadata (__name__), which readers skip";
      }
    }
    return null;
  }
}
