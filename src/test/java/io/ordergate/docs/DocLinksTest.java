package io.ordergate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown (README.md, docs/, flags/README.md, any README
 * under k8s/ or loadtest/) points at a file that exists inside the repository, and every {@code
 * #anchor} at a heading that exists, with the anchor GitHub derives from the heading. A moved or
 * renamed section fails the build instead of leaving a reader at the top of a page.
 */
class DocLinksTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
  private static final Pattern LINK =
      Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern REFERENCE =
      Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(\\s.*)?$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:|^//");
  private static final Pattern ATX = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)(\\s+#+)?\\s*$");
  private static final Pattern SETEXT = Pattern.compile("^\\s{0,3}(=+|-+)\\s*$");
  private static final Pattern HTML_ID = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    List<Path> documents = documents();
    for (Path doc : documents) {
      for (String target : links(Files.readAllLines(doc))) {
        String problem = check(doc, target);
        if (problem != null) {
          broken.add(ROOT.relativize(doc) + ": (" + target + ") " + problem);
        }
      }
    }
    assertThat(documents).as("documents checked").contains(ROOT.resolve("README.md"));
    assertThat(broken).as("broken links in the project's Markdown").isEmpty();
  }

  @Test
  void noDocumentCitesTheDesignDocumentThatIsNotInTheRepository() throws IOException {
    List<String> citing = new ArrayList<>();
    for (Path doc : documents()) {
      if (Files.readString(doc).contains("DESIGN.md") && !Files.exists(ROOT.resolve("DESIGN.md"))) {
        citing.add(ROOT.relativize(doc).toString());
      }
    }
    assertThat(citing).as("documents citing DESIGN.md, which is not in the repository").isEmpty();
  }

  @Test
  void anchorsAreTheOnesGitHubMakes() {
    assertThat(anchors(List.of("## Walk-through: kill a source in the demo")))
        .containsExactly("walk-through-kill-a-source-in-the-demo");
    assertThat(anchors(List.of("### The incident, replayed (Gatling)")))
        .containsExactly("the-incident-replayed-gatling");
    assertThat(
            anchors(List.of("## `Idempotency-Key` and [links](x.md)", "## Metrics", "## Metrics")))
        .containsExactly("idempotency-key-and-links", "metrics", "metrics-1");
    assertThat(anchors(List.of("```", "# not a heading", "```", "Setext", "---")))
        .containsExactly("setext");
    assertThat(links(List.of("see [a](b.md#c) and `[d](e.md)`", "```", "[f](g.md)", "```")))
        .containsExactly("b.md#c");
  }

  /** The Markdown files a reader of the repository meets. */
  private static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    for (String dir : List.of("docs", "flags", "k8s", "loadtest")) {
      Path base = ROOT.resolve(dir);
      if (!Files.isDirectory(base)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(base)) {
        files
            .filter(p -> p.toString().endsWith(".md"))
            .filter(DocLinksTest::ours)
            .filter(p -> dir.equals("docs") || p.getFileName().toString().equals("README.md"))
            .sorted()
            .forEach(docs::add);
      }
    }
    return docs;
  }

  /** Not a dependency's or a build's copy. */
  private static boolean ours(Path p) {
    for (Path part : ROOT.relativize(p)) {
      if (part.toString().equals("node_modules") || part.toString().equals("target")) {
        return false;
      }
    }
    return true;
  }

  /** Relative link targets, outside code blocks and code spans. */
  static List<String> links(List<String> lines) {
    List<String> targets = new ArrayList<>();
    boolean inFence = false;
    for (String line : lines) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      String text = CODE_SPAN.matcher(line).replaceAll("");
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        targets.add(m.group(1));
      }
      Matcher ref = REFERENCE.matcher(text);
      if (ref.matches()) {
        targets.add(ref.group(1));
      }
    }
    targets.removeIf(t -> SCHEME.matcher(t).find());
    return targets;
  }

  /** Why the link from {@code doc} to {@code target} is broken, or null. */
  private static String check(Path doc, String target) throws IOException {
    int hash = target.indexOf('#');
    String file =
        URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
    String anchor = hash < 0 ? "" : target.substring(hash + 1);
    Path to = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
    if (!to.startsWith(ROOT)) {
      return "points outside the repository";
    }
    if (!Files.exists(to)) {
      return "no such file: " + ROOT.relativize(to);
    }
    if (anchor.isEmpty()) {
      return null;
    }
    if (!to.toString().endsWith(".md")) {
      return "an anchor into a file that is not Markdown";
    }
    Set<String> known = anchors(Files.readAllLines(to));
    return known.contains(anchor)
        ? null
        : "no heading with anchor '" + anchor + "' in " + ROOT.relativize(to) + "; it has " + known;
  }

  /** The anchors GitHub gives the headings of a Markdown file, in order. */
  static Set<String> anchors(List<String> lines) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    String previous = "";
    for (String line : lines) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
        previous = "";
        continue;
      }
      if (inFence) {
        continue;
      }
      Matcher html = HTML_ID.matcher(line);
      while (html.find()) {
        anchors.add(html.group(1));
      }
      String heading = null;
      Matcher atx = ATX.matcher(line);
      if (atx.matches()) {
        heading = atx.group(2);
      } else if (SETEXT.matcher(line).matches()
          && !previous.isBlank()
          && !previous.startsWith("|")
          && !ATX.matcher(previous).matches()) {
        heading = previous.trim();
      }
      if (heading != null) {
        String slug = slug(heading);
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? slug : slug + "-" + n);
      }
      previous = line;
    }
    return anchors;
  }

  /** GitHub's slug: the heading's text, lower case, punctuation dropped, each space a hyphen. */
  private static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("[`*]", "");
    return text.toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{Nd}\\p{Mn}\\p{Pc} -]", "")
        .replace(' ', '-');
  }
}
