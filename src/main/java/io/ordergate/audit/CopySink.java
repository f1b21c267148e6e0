package io.ordergate.audit;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships batches with COPY over the PostgreSQL JDBC driver (the Vert.x client has no COPY), on the
 * shipper's own thread. Rows, aggregates and the spool position go in one transaction.
 */
final class CopySink implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(CopySink.class);
  private static final String COLUMNS =
      "audit(request_id, source_id, method, path, decision, status, backend_order_id,"
          + " flag_revision, received_at, completed_at, instance_id, shadow, intervention_id)";
  private static final int COLUMN_COUNT = 13;
  private static final String COPY_ROWS = "COPY " + COLUMNS + " FROM STDIN (FORMAT binary)";
  private static final String COPY_ROWS_TEXT = "COPY " + COLUMNS + " FROM STDIN";
  private static final String COPY_AGGREGATES =
      "COPY audit_refusals(second, source_id, decision, count, instance_id, intervention_id)"
          + " FROM STDIN";
  private static final String SHIPPED =
      "SELECT segment, byte_offset FROM audit_spool_progress WHERE spool_id = ?";
  private static final String PROGRESS =
      """
      INSERT INTO audit_spool_progress(spool_id, segment, byte_offset, instance_id, updated_at)
      VALUES (?, ?, ?, ?, now())
      ON CONFLICT (spool_id) DO UPDATE SET segment = EXCLUDED.segment,
        byte_offset = EXCLUDED.byte_offset, instance_id = EXCLUDED.instance_id, updated_at = now()""";

  private final String url;
  private final Properties properties = new Properties();
  private final String instanceId;
  private final boolean binary;
  private Connection conn;

  CopySink(PgConnectOptions options, String instanceId) {
    this(options, instanceId, true);
  }

  /** {@code binary} false: rows in text format, as before 2026-12-02 (kept to measure against). */
  CopySink(PgConnectOptions options, String instanceId, boolean binary) {
    this.binary = binary;
    String host =
        options.getHost().contains(":") ? "[" + options.getHost() + "]" : options.getHost();
    this.url = "jdbc:postgresql://" + host + ":" + options.getPort() + "/" + options.getDatabase();
    this.instanceId = instanceId;
    properties.setProperty("user", options.getUser());
    if (options.getPassword() != null) {
      properties.setProperty("password", options.getPassword());
    }
    SslMode ssl = options.getSslMode() == null ? SslMode.DISABLE : options.getSslMode();
    properties.setProperty("sslmode", ssl.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    properties.setProperty("connectTimeout", "5");
    // A database that stops answering (SIGSTOP, a network partition) must fail the batch, not hang
    // the shipper: the spool keeps the records meanwhile.
    properties.setProperty("socketTimeout", "30");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "order-gate audit shipper");
  }

  @Override
  public SpoolPosition shipped(String spoolId) throws SQLException {
    try (PreparedStatement st = connection().prepareStatement(SHIPPED)) {
      st.setString(1, spoolId);
      try (ResultSet rs = st.executeQuery()) {
        SpoolPosition p = rs.next() ? new SpoolPosition(rs.getLong(1), rs.getLong(2)) : null;
        conn.commit();
        return p;
      }
    }
  }

  @Override
  public int ship(
      String spoolId, List<AuditRecord> rows, List<Aggregate> aggregates, SpoolPosition next)
      throws SQLException {
    Connection c = connection();
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    int rejected = 0;
    try {
      try {
        copyRows(copy, rows);
      } catch (SQLException e) {
        if (!isDataError(e)) {
          throw e;
        }
        c.rollback();
        LOG.error(
            "Audit batch of {} refused as data ({}); copying it row by row",
            rows.size(),
            e.getMessage());
        rejected = copyOneByOne(c, copy, rows);
      }
      if (!aggregates.isEmpty()) {
        StringBuilder sb = new StringBuilder(aggregates.size() * 64);
        for (Aggregate a : aggregates) {
          CopyText.time(sb, a.epochSecond() * 1_000_000L).append('\t');
          CopyText.text(sb, a.sourceId()).append('\t');
          CopyText.text(sb, a.decision()).append('\t').append(a.count()).append('\t');
          CopyText.text(sb, instanceId).append('\t');
          intervention(sb, a.interventionId()).append('\n');
        }
        copy.copyIn(COPY_AGGREGATES, new java.io.ByteArrayInputStream(utf8(sb)));
      }
      try (PreparedStatement st = c.prepareStatement(PROGRESS)) {
        st.setString(1, spoolId);
        st.setLong(2, next.segment());
        st.setLong(3, next.offset());
        st.setString(4, instanceId);
        st.executeUpdate();
      }
      c.commit();
      return rejected;
    } catch (java.io.IOException e) {
      throw new SQLException("COPY failed: " + e.getMessage(), "08006", e);
    }
  }

  private void copyRows(CopyManager copy, List<AuditRecord> rows)
      throws SQLException, java.io.IOException {
    if (rows.isEmpty()) {
      return;
    }
    byte[] data;
    if (binary) {
      byte[] instance = instanceId.getBytes(StandardCharsets.UTF_8);
      CopyBinary b = new CopyBinary(rows.size() * 200);
      rows.forEach(r -> row(b, r, instance));
      data = b.finish();
    } else {
      StringBuilder sb = new StringBuilder(rows.size() * 160);
      rows.forEach(r -> row(sb, r));
      data = utf8(sb);
    }
    copy.copyIn(binary ? COPY_ROWS : COPY_ROWS_TEXT, new java.io.ByteArrayInputStream(data));
  }

  private static void row(CopyBinary b, AuditRecord r, byte[] instanceId) {
    b.row(COLUMN_COUNT)
        .text(r.requestId())
        .text(r.sourceId())
        .text(r.method())
        .text(r.path())
        .text(r.decision())
        .int4(r.status())
        .text(r.backendOrderId())
        .int8(r.flagRevision())
        .time(r.receivedAtMicros())
        .time(r.completedAtMicros())
        .bytes(instanceId)
        .text(r.shadow())
        .id(r.interventionId());
  }

  /** One bad row must not hold up the rest: each row under a savepoint, the bad ones logged. */
  private int copyOneByOne(Connection c, CopyManager copy, List<AuditRecord> rows)
      throws SQLException, java.io.IOException {
    int rejected = 0;
    for (AuditRecord r : rows) {
      Savepoint sp = c.setSavepoint();
      try {
        copyRows(copy, List.of(r));
        c.releaseSavepoint(sp);
      } catch (SQLException e) {
        if (!isDataError(e)) {
          throw e;
        }
        c.rollback(sp);
        rejected++;
        LOG.error(
            "Audit record {} refused by PostgreSQL: {} ({})", r.requestId(), e.getMessage(), r);
      }
    }
    return rejected;
  }

  private void row(StringBuilder sb, AuditRecord r) {
    CopyText.text(sb, r.requestId()).append('\t');
    CopyText.text(sb, r.sourceId()).append('\t');
    CopyText.text(sb, r.method()).append('\t');
    CopyText.text(sb, r.path()).append('\t');
    CopyText.text(sb, r.decision()).append('\t').append(r.status()).append('\t');
    CopyText.text(sb, r.backendOrderId()).append('\t').append(r.flagRevision()).append('\t');
    CopyText.time(sb, r.receivedAtMicros()).append('\t');
    CopyText.time(sb, r.completedAtMicros()).append('\t');
    CopyText.text(sb, instanceId).append('\t');
    CopyText.text(sb, r.shadow()).append('\t');
    intervention(sb, r.interventionId()).append('\n');
  }

  /** Intervention ids are positive; 0 (none) is stored as NULL. */
  private static StringBuilder intervention(StringBuilder sb, long id) {
    return id > 0 ? sb.append(id) : sb.append("\\N");
  }

  private static byte[] utf8(StringBuilder sb) {
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** SQLSTATE classes 22 (data exception) and 23 (integrity): the row, not the database. */
  private static boolean isDataError(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  private Connection connection() throws SQLException {
    if (conn == null) {
      Connection c = new org.postgresql.Driver().connect(url, properties);
      if (c == null) {
        throw new SQLException("the PostgreSQL driver does not accept " + url);
      }
      c.setAutoCommit(false);
      conn = c;
    }
    return conn;
  }

  @Override
  public void close() {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException e) {
        LOG.debug("Closing the audit connection: {}", e.getMessage());
      }
      conn = null;
    }
  }
}
