package io.ordergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A one-shot command's logging is set up in code, a twin of logback.xml kept for start-up time: the
 * two must not drift apart.
 */
class CliLoggingTest {
  private static final Pattern LOGGER =
      Pattern.compile("<logger name=\"([^\"]+)\" level=\"([A-Z]+)\"/>");
  private static final Pattern LINE = Pattern.compile("<pattern>([^<]+)</pattern>");

  @Test
  void usesTheLineFormatAndLibraryLevelsOfLogbackXml() throws IOException {
    String xml = logbackXml();
    Map<String, Level> libraries = new HashMap<>();
    Matcher m = LOGGER.matcher(xml);
    while (m.find()) {
      libraries.put(m.group(1), Level.toLevel(m.group(2)));
    }
    assertThat(CliLogging.LIBRARIES).isEqualTo(libraries);
    Matcher line = LINE.matcher(xml);
    assertThat(line.find()).isTrue();
    assertThat(CliLogging.PATTERN).isEqualTo(line.group(1));
  }

  private static String logbackXml() throws IOException {
    try (InputStream in = CliLogging.class.getResourceAsStream("/logback.xml")) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
