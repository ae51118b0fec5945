package io.sparkaistore.wds;

/**
 * How a member's name splits into a sample key and an extension.
 *
 * <ul>
 *   <li>{@link #WEBDATASET} (the WebDataset spec, and the {@code webdataset} library): the key is
 *       the directories plus the file name up to its first dot; the extension is the rest, which
 *       may hold dots ({@code x/y.seg.png} is key {@code x/y}, extension {@code seg.png}). A file
 *       name without a dot, starting with one or ending with one, has no key. Unlike the webdataset
 *       regex, which makes {@code dir/.DS_Store} a sample with key {@code dir/}, hidden files
 *       (macOS's {@code ._*} and {@code .DS_Store} among them) are left out on purpose: they are
 *       not samples, and would add a column to every read.
 *   <li>{@link #AIS_PYTHON} (AIS's Python {@code AISShardReader}): the key is the last path
 *       component up to its first dot, directories dropped; the extension is what follows the last
 *       dot ({@code x/y.seg.png} is key {@code y}, extension {@code png}); {@code .hidden} is key
 *       "" with extension {@code hidden}; a name without an extension has no key.
 * </ul>
 */
public enum KeyRule {
  WEBDATASET,
  AIS_PYTHON;

  /** {key, extension}, or null when the member belongs to no sample under this rule. */
  public String[] split(String memberName) {
    return this == WEBDATASET ? webdataset(memberName) : aisPython(memberName);
  }

  private static String[] webdataset(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.indexOf('.', slash + 1);
    // The file name needs at least one character before its first dot
    // ("^((?:.*/|)[^.]+)[.]([^/]*)$"),
    // and, unlike that regex, one after it: an empty extension is no extension.
    if (dot <= slash + 1 || dot == name.length() - 1) {
      return null;
    }
    return new String[] {name.substring(0, dot), name.substring(dot + 1)};
  }

  private static String[] aisPython(String name) {
    String file = name.substring(name.lastIndexOf('/') + 1);
    int lastDot = file.lastIndexOf('.');
    String ext = lastDot < 0 ? "" : file.substring(lastDot + 1);
    if (ext.isEmpty()) {
      return null;
    }
    int firstDot = file.indexOf('.');
    return new String[] {file.substring(0, firstDot), ext};
  }
}
