package io.sparkaistore.client;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object-name part of a path, with the brace patterns of webdataset and the AIS CLI and
 * Hadoop's globs: {@code {000..099}} (a numeric range, zero-padded to its bounds' width; {@code
 * {0..10}} is unpadded; {@code {0..10..2}} steps as AIS's templates do), {@code {a,b,c}}
 * (alternatives, which may nest), {@code *} (any run of characters but {@code /}), {@code ?} (one
 * character but {@code /}), {@code [abc]}, {@code [a-z]}, {@code [!a-z]} or {@code [^a-z]}. A
 * backslash makes the next of {@code \ { } [ ] * ? ,} literal; before any other character it is a
 * backslash. Names are matched whole, or up to a {@code /}, which selects everything below like a
 * directory.
 */
public final class PathPattern implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String SPECIAL = "\\{}[]*?,";
  private static final Pattern RANGE =
      Pattern.compile("(\\d{1,18})\\.\\.(\\d{1,18})(?:\\.\\.(\\d{1,18}))?");

  private final String text;
  private final List<Node> nodes;

  private PathPattern(String text, List<Node> nodes) {
    this.text = text;
    this.nodes = nodes;
  }

  /**
   * Parses the name part of a path; fails naming the position of an unbalanced brace or bracket or
   * of a brace that is neither a range nor alternatives.
   */
  public static PathPattern parse(String text) {
    Parser parser = new Parser(text);
    List<Node> nodes = parser.sequence(false);
    if (parser.pos < text.length()) {
      throw parser.error("'" + text.charAt(parser.pos) + "' has no opening '{'");
    }
    return new PathPattern(text, List.copyOf(nodes));
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /** Whether anything in it is a pattern rather than literal (escaped) characters. */
  public boolean hasWildcards() {
    return nodes.stream().anyMatch(n -> !(n instanceof Literal));
  }

  /** The literal characters up to the first pattern character, escapes resolved: what to list. */
  public String literalPrefix() {
    StringBuilder prefix = new StringBuilder();
    for (Node n : nodes) {
      if (!(n instanceof Literal)) {
        break;
      }
      prefix.append(((Literal) n).text);
    }
    return prefix.toString();
  }

  /**
   * Whether the pattern matches {@code name} whole, or a part of it that a {@code /} ends or
   * follows.
   */
  public boolean matches(String name) {
    return matchedPart(name) != null;
  }

  /**
   * What of {@code name} the pattern matches: the name, or the part up to a {@code /} (a
   * directory); null when it does not match.
   */
  public String matchedPart(String name) {
    int[] matchedEnd = {-1};
    Rest atBoundary =
        end -> {
          if (end == name.length()
              || name.charAt(end) == '/'
              || (end > 0 && name.charAt(end - 1) == '/')) {
            matchedEnd[0] = end;
            return true;
          }
          return false;
        };
    return match(nodes, 0, name, 0, atBoundary) ? name.substring(0, matchedEnd[0]) : null;
  }

  /**
   * Whether the pattern names its objects one by one, as WebDataset and the AIS CLI expand braces:
   * braces only, no glob.
   */
  public boolean isExplicit() {
    return hasWildcards() && isExplicit(nodes);
  }

  private static boolean isExplicit(List<Node> seq) {
    for (Node n : seq) {
      if (n instanceof Alternatives) {
        if (!((Alternatives) n).choices.stream().allMatch(PathPattern::isExplicit)) {
          return false;
        }
      } else if (!(n instanceof Literal) && !(n instanceof NumberRange)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first {@code max} names an explicit pattern expands to that are not in {@code found}, in
   * expansion order.
   */
  public List<String> missing(Set<String> found, int max) {
    List<String> missing = new ArrayList<>();
    expand(
        nodes,
        0,
        "",
        name -> {
          if (!found.contains(name)) {
            missing.add(name);
          }
          return missing.size() < max;
        });
    return missing;
  }

  private interface Names {
    /** Takes a name; false to stop. */
    boolean take(String name);
  }

  private static boolean expand(List<Node> seq, int index, String head, Names out) {
    if (index == seq.size()) {
      return out.take(head);
    }
    Node node = seq.get(index);
    if (node instanceof Literal) {
      return expand(seq, index + 1, head + ((Literal) node).text, out);
    }
    if (node instanceof NumberRange) {
      NumberRange range = (NumberRange) node;
      for (long v = range.start; v <= range.end; v += range.step) {
        if (!expand(seq, index + 1, head + range.format(v), out)) {
          return false;
        }
      }
      return true;
    }
    for (List<Node> choice : ((Alternatives) node).choices) {
      List<Node> chosen = new ArrayList<>(choice);
      chosen.addAll(seq.subList(index + 1, seq.size()));
      if (!expand(chosen, 0, head, out)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathPattern && ((PathPattern) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }

  private interface Rest {
    boolean matchesFrom(int pos);
  }

  private static boolean match(List<Node> seq, int index, String s, int pos, Rest rest) {
    if (index == seq.size()) {
      return rest.matchesFrom(pos);
    }
    Rest next = end -> match(seq, index + 1, s, end, rest);
    return seq.get(index).match(s, pos, next);
  }

  /** One element of a pattern; the classes below are all of them. */
  private interface Node extends Serializable {
    boolean match(String s, int pos, Rest next);
  }

  private static final class Literal implements Node {
    private static final long serialVersionUID = 1L;
    private final String text;

    Literal(String text) {
      this.text = text;
    }

    @Override
    public boolean match(String s, int pos, Rest next) {
      return s.startsWith(text, pos) && next.matchesFrom(pos + text.length());
    }
  }

  private static final class AnyRun implements Node {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean match(String s, int pos, Rest next) {
      for (int end = pos; ; end++) {
        if (next.matchesFrom(end)) {
          return true;
        }
        if (end == s.length() || s.charAt(end) == '/') {
          return false;
        }
      }
    }
  }

  private static final class AnyOne implements Node {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean match(String s, int pos, Rest next) {
      return pos < s.length() && s.charAt(pos) != '/' && next.matchesFrom(pos + 1);
    }
  }

  /** Inclusive character ranges, as pairs; a single character is a range of one. */
  private static final class CharClass implements Node {
    private static final long serialVersionUID = 1L;
    private final boolean negated;
    private final String ranges;

    CharClass(boolean negated, String ranges) {
      this.negated = negated;
      this.ranges = ranges;
    }

    @Override
    public boolean match(String s, int pos, Rest next) {
      if (pos >= s.length() || s.charAt(pos) == '/') {
        return false;
      }
      char c = s.charAt(pos);
      boolean in = false;
      for (int i = 0; i < ranges.length(); i += 2) {
        in |= ranges.charAt(i) <= c && c <= ranges.charAt(i + 1);
      }
      return in != negated && next.matchesFrom(pos + 1);
    }
  }

  private static final class NumberRange implements Node {
    private static final long serialVersionUID = 1L;
    private final long start;
    private final long end;
    private final long step;
    private final int width;

    NumberRange(long start, long end, long step, int width) {
      this.start = start;
      this.end = end;
      this.step = step;
      this.width = width;
    }

    @Override
    public boolean match(String s, int pos, Rest next) {
      int digits = 0;
      while (pos + digits < s.length()
          && digits < 18
          && Character.isDigit(s.charAt(pos + digits))) {
        digits++;
      }
      for (int length = 1; length <= digits; length++) {
        String written = s.substring(pos, pos + length);
        long value = Long.parseLong(written);
        if (start <= value
            && value <= end
            && (value - start) % step == 0
            && written.equals(format(value))
            && next.matchesFrom(pos + length)) {
          return true;
        }
      }
      return false;
    }

    private String format(long value) {
      String digits = Long.toString(value);
      return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
  }

  private static final class Alternatives implements Node {
    private static final long serialVersionUID = 1L;
    private final List<List<Node>> choices;

    Alternatives(List<List<Node>> choices) {
      this.choices = choices;
    }

    @Override
    public boolean match(String s, int pos, Rest next) {
      for (List<Node> choice : choices) {
        if (PathPattern.match(choice, 0, s, pos, next)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    /** Nodes up to the end, or inside braces up to the next top-level ',' or '}'. */
    List<Node> sequence(boolean inBraces) {
      List<Node> nodes = new ArrayList<>();
      StringBuilder literal = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '}' || (inBraces && c == ',')) {
          break;
        }
        if (c == '\\' && pos + 1 < text.length() && SPECIAL.indexOf(text.charAt(pos + 1)) >= 0) {
          literal.append(text.charAt(pos + 1));
          pos += 2;
          continue;
        }
        if (c != '*' && c != '?' && c != '[' && c != '{') {
          literal.append(c);
          pos++;
          continue;
        }
        if (literal.length() > 0) {
          nodes.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        nodes.add(wildcard(c));
      }
      if (literal.length() > 0) {
        nodes.add(new Literal(literal.toString()));
      }
      return nodes;
    }

    private Node wildcard(char c) {
      int at = pos++;
      switch (c) {
        case '*':
          return new AnyRun();
        case '?':
          return new AnyOne();
        case '[':
          return charClass(at);
        default:
          return braces(at);
      }
    }

    private Node braces(int open) {
      Matcher range = RANGE.matcher(text).region(pos, text.length());
      if (range.lookingAt() && text.startsWith("}", range.end())) {
        pos = range.end() + 1;
        return numberRange(range, open);
      }
      List<List<Node>> choices = new ArrayList<>();
      choices.add(sequence(true));
      while (pos < text.length() && text.charAt(pos) == ',') {
        pos++;
        choices.add(sequence(true));
      }
      if (pos >= text.length()) {
        pos = open;
        throw error("'{' has no closing '}'");
      }
      pos++;
      if (choices.size() < 2) {
        String written = text.substring(open, pos);
        pos = open;
        throw error(
            "'"
                + written
                + "' is neither a numeric range such as {000..099} nor alternatives such as {a,b}");
      }
      return new Alternatives(List.copyOf(choices));
    }

    private Node numberRange(Matcher range, int open) {
      String from = range.group(1);
      String to = range.group(2);
      long start = Long.parseLong(from);
      long end = Long.parseLong(to);
      long step = range.group(3) == null ? 1 : Long.parseLong(range.group(3));
      boolean padded = isPadded(from) || isPadded(to);
      String written = text.substring(open, pos);
      if (padded && from.length() != to.length()) {
        pos = open;
        throw error(
            "the bounds of the zero-padded range " + written + " differ in width; pad both");
      }
      if (start > end || step == 0) {
        pos = open;
        throw error("the range " + written + " needs start <= end and a step of at least 1");
      }
      return new NumberRange(start, end, step, padded ? from.length() : 1);
    }

    private static boolean isPadded(String bound) {
      return bound.length() > 1 && bound.charAt(0) == '0';
    }

    private Node charClass(int open) {
      boolean negated = pos < text.length() && (text.charAt(pos) == '!' || text.charAt(pos) == '^');
      if (negated) {
        pos++;
      }
      StringBuilder ranges = new StringBuilder();
      while (pos < text.length() && text.charAt(pos) != ']') {
        char lo = classChar();
        char hi = lo;
        if (pos + 1 < text.length() && text.charAt(pos) == '-' && text.charAt(pos + 1) != ']') {
          pos++;
          hi = classChar();
        }
        if (lo > hi) {
          pos = open;
          throw error("the character range " + lo + "-" + hi + " runs backwards");
        }
        ranges.append(lo).append(hi);
      }
      if (pos >= text.length() || ranges.length() == 0) {
        pos = open;
        throw error("'[' needs characters and a closing ']'");
      }
      pos++;
      return new CharClass(negated, ranges.toString());
    }

    private char classChar() {
      char c = text.charAt(pos++);
      if (c == '\\' && pos < text.length() && SPECIAL.indexOf(text.charAt(pos)) >= 0) {
        return text.charAt(pos++);
      }
      return c;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "bad pattern at character "
              + (pos + 1)
              + " of '"
              + text
              + "': "
              + what
              + " (a backslash makes a character literal, e.g. \\{ or \\*)");
    }
  }
}
