package io.ordergate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Spool entries survive an upgrade: records written by the previous version (no intervention) and
 * by this one decode to the same fields.
 */
class EntryCodecTest {
  /**
   * A row as the version before the intervention column wrote it (req-7, perftest, POST /orders,
   * source-disabled 503, no order id, flag revision 12, shadow would-reject); produced by that
   * version's EntryCodec.
   */
  private static final String PREVIOUS_ROW =
      "AQAAAAVyZXEtNwAAAAhwZXJmdGVzdAAAAARQT1NUAAAABy9vcmRlcnMAAAAPc291cmNlLWRpc2FibGVkAAAB9/////8"
          + "AAAAAAAAADAAGRPCYZyQAAAZE8JhnKdwAAAAMd291bGQtcmVqZWN0";

  /** 41 refusals of perftest (source-disabled) in one second, as that version wrote them. */
  private static final String PREVIOUS_AGGREGATE =
      "AgAAAABpLmwQAAAACHBlcmZ0ZXN0AAAAD3NvdXJjZS1kaXNhYmxlZAAAAAAAAAAp";

  private static final long RECEIVED = 1_764_650_000_000_000L;

  @Test
  void aRowOfThePreviousVersionDecodesWithoutIntervention() {
    AuditRecord r = (AuditRecord) EntryCodec.decode(Base64.getDecoder().decode(PREVIOUS_ROW));
    assertThat(r)
        .isEqualTo(
            new AuditRecord(
                "req-7",
                "perftest",
                "POST",
                "/orders",
                "source-disabled",
                503,
                null,
                12,
                RECEIVED,
                RECEIVED + 1_500,
                "would-reject",
                0));
  }

  @Test
  void anAggregateOfThePreviousVersionDecodesWithoutIntervention() {
    Aggregate a = (Aggregate) EntryCodec.decode(Base64.getDecoder().decode(PREVIOUS_AGGREGATE));
    assertThat(a).isEqualTo(new Aggregate(1_764_650_000L, "perftest", "source-disabled", 41, 0));
  }

  @Test
  void rowsAndAggregatesKeepTheirIntervention() {
    AuditRecord row =
        new AuditRecord(
            "req-8",
            "perftest",
            "POST",
            "/orders",
            "source-disabled",
            503,
            null,
            13,
            RECEIVED,
            RECEIVED + 900,
            null,
            42);
    assertThat(EntryCodec.decode(EntryCodec.encode(row))).isEqualTo(row);
    Aggregate a = new Aggregate(1_764_650_001L, null, "unknown-credential", 7, 42);
    assertThat(EntryCodec.decode(EntryCodec.encode(a))).isEqualTo(a);
  }

  @Test
  void aRowWithoutShadowOrInterventionRoundTrips() {
    AuditRecord row =
        new AuditRecord("req-9", null, "GET", "/x", "not-found", 404, null, 0, RECEIVED, RECEIVED);
    assertThat(EntryCodec.decode(EntryCodec.encode(row))).isEqualTo(row);
  }
}
