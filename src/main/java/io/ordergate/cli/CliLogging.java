package io.ordergate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The logging of a one-shot command (kill, status, sources…), set up in code: what logback.xml says
 * for such a command (warnings of our own on stderr, the same levels for the libraries, the same
 * line format) without parsing XML, which cost a command a few hundred ms of its start (the XML
 * parser's classes, Joran's model). Found by logback through {@code META-INF/services}; the
 * long-running commands (serve, demo, order-system) and any process that does not set {@link
 * #PROPERTY} pass on to logback.xml.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {
  /** Set to {@code true} before the first logger exists to select this configuration. */
  public static final String PROPERTY = "ordergate.log.cli";

  /** As logback.xml: the line format ({@code CliLoggingTest} holds the two together). */
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

  /** As logback.xml: the libraries' levels. */
  static final Map<String, Level> LIBRARIES =
      Map.of(
          "io.zonky", Level.WARN,
          "io.getunleash", Level.WARN,
          "io.getunleash.repository.PollingFeatureFetcher", Level.ERROR,
          "io.netty", Level.WARN,
          "io.netty.util.internal.MacAddressUtil", Level.ERROR,
          "io.vertx", Level.WARN);

  /** Public, with no arguments: logback's service loader makes it. */
  public CliLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (!Boolean.getBoolean(PROPERTY)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
    out.setContext(context);
    out.setName("OUT");
    out.setTarget("System.err");
    out.setEncoder(encoder);
    out.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(out);
    context.getLogger("io.ordergate").setLevel(Level.toLevel(ownLevel(), Level.DEBUG));
    LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** As logback.xml: the property Main sets, else ORDERGATE_LOG_LEVEL, else INFO. */
  private static String ownLevel() {
    String level = System.getProperty("ordergate.log.level");
    if (level == null) {
      level = System.getenv("ORDERGATE_LOG_LEVEL");
    }
    return level == null ? "INFO" : level;
  }
}
