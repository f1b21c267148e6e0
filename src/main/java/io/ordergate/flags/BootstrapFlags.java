package io.ordergate.flags;

import io.getunleash.repository.ToggleBootstrapProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flags the SDK starts from when there is no backup: {@code UNLEASH_BOOTSTRAP_FILE}, else the
 * bundled {@value #BUNDLED}.
 */
final class BootstrapFlags implements ToggleBootstrapProvider {
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapFlags.class);

  static final String BUNDLED = "flags/bootstrap.json";

  private final Optional<Path> file;

  BootstrapFlags(Optional<Path> file) {
    this.file = file;
  }

  @Override
  public Optional<String> read() {
    try {
      if (file.isPresent()) {
        return Optional.of(Files.readString(file.get()));
      }
      try (InputStream in = BootstrapFlags.class.getClassLoader().getResourceAsStream(BUNDLED)) {
        return in == null
            ? Optional.empty()
            : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      LOG.error("Cannot read the bootstrap flags: {}", e.toString());
      return Optional.empty();
    }
  }
}
