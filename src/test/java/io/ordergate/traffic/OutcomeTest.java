package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.audit.AuditRecord;
import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.Overrule;
import io.ordergate.decision.SourceDecision;
import io.ordergate.decision.Verdict;
import io.ordergate.forward.BackendReply;
import io.ordergate.problem.Failure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each request is answered, counted and audited exactly once, whatever happens around it. */
class OutcomeTest {
  private final FakeLedger ledger = new FakeLedger();
  private static final BackendReply CREATED =
      new BackendReply(201, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{}"));

  @Test
  void anAnswerIsWrittenCountedAndAuditedOnce() {
    FakeOutcome outcome = new FakeOutcome(true);
    outcome.source("shop");
    outcome.respond(CREATED, Outcome.FORWARDED, "ord-1", false);

    assertThat(outcome.written).containsExactly("201");
    assertThat(ledger.counted).containsExactly("shop forwarded");
    assertThat(ledger.audited).hasSize(1);
    AuditRecord row = ledger.audited.get(0);
    assertThat(row.decision()).isEqualTo("forwarded");
    assertThat(row.status()).isEqualTo(201);
    assertThat(row.backendOrderId()).isEqualTo("ord-1");
    assertThat(row.sourceId()).isEqualTo("shop");
    assertThat(row.requestId()).isEqualTo("req-1");
    assertThat(row.flagRevision()).isEqualTo(7);
    assertThat(ledger.closed).isEqualTo(1);
  }

  @Test
  void theAuditRowNamesTheInterventionThatDecidedForTheSource() {
    Overrule kill = new Overrule(12, Verdict.REJECT, 0, "intervention #12: kill by alice", null);
    DecisionTable table =
        new DecisionTable(
            Map.of(
                "shop",
                new SourceDecision(
                    "shop", "order-source.shop", Verdict.REJECT, "killed", null, 0, null, kill),
                "web",
                new SourceDecision("web", "order-source.web", Verdict.ACCEPT, "on", null)),
            new SourceDecision(null, null, Verdict.REJECT, "unknown", null),
            9,
            Instant.EPOCH);

    FakeOutcome killed = new FakeOutcome(true);
    killed.judgedBy(table);
    killed.refuse(Refusal.of(Failure.SOURCE_DISABLED, "killed", "shop"));
    FakeOutcome accepted = new FakeOutcome(true);
    accepted.judgedBy(table);
    accepted.source("web");
    accepted.respond(CREATED, Outcome.FORWARDED, "ord-2", false);
    FakeOutcome unknown = new FakeOutcome(true);
    unknown.judgedBy(table);
    unknown.refuse(Failure.UNKNOWN_CREDENTIAL, "who?");

    assertThat(ledger.audited.get(0).interventionId()).isEqualTo(12);
    assertThat(ledger.audited.get(0).flagRevision()).isEqualTo(9);
    assertThat(ledger.audited.get(1).interventionId()).isZero(); // Unleash alone decided
    assertThat(ledger.audited.get(2).interventionId()).isZero(); // no source
  }

  @Test
  void aSecondAnswerOrRefusalIsIgnored() {
    FakeOutcome outcome = new FakeOutcome(true);
    outcome.respond(CREATED, Outcome.FORWARDED, null, false);
    outcome.refuse(Failure.CLIENT_CLOSED, "late");
    outcome.respond(CREATED, Outcome.FORWARDED, null, false);

    assertThat(outcome.written).containsExactly("201");
    assertThat(ledger.counted).hasSize(1);
    assertThat(ledger.audited).hasSize(1);
    assertThat(ledger.closed).isEqualTo(1);
  }

  @Test
  void aRefusalIsAProblemWithItsStatusAndSlugAsTheDecision() {
    FakeOutcome outcome = new FakeOutcome(true);
    outcome.refuse(Refusal.of(Failure.WRONG_ENVIRONMENT, "wrong place", "shop"));

    assertThat(outcome.written).containsExactly("problem 421");
    assertThat(outcome.problems.get(0).toString())
        .contains("\"detail\":\"wrong place\"")
        .contains("\"source\":\"shop\"")
        .contains("\"requestId\":\"req-1\"");
    assertThat(ledger.counted).containsExactly("shop wrong-environment");
    assertThat(ledger.audited.get(0).status()).isEqualTo(421);
    assertThat(outcome.closed).isFalse();
  }

  @Test
  void aRefusalThatDistrustsTheConnectionClosesIt() {
    FakeOutcome outcome = new FakeOutcome(true);
    outcome.refuse(Refusal.closing(Failure.MALFORMED_REQUEST, "two hosts", null));
    assertThat(outcome.closed).isTrue();
    assertThat(ledger.counted).containsExactly("null malformed-request");
  }

  @Test
  void aClientThatWentAwayGetsNothingWrittenButIsStillCountedAndAuditedOnce() {
    FakeOutcome gone = new FakeOutcome(false);
    gone.respond(CREATED, Outcome.FORWARDED, "ord-1", false);
    assertThat(gone.written).isEmpty();
    assertThat(ledger.counted).hasSize(1);
    assertThat(ledger.audited).hasSize(1);

    FakeOutcome refused = new FakeOutcome(false);
    refused.refuse(Failure.CLIENT_CLOSED, "went away");
    assertThat(refused.written).isEmpty();
    assertThat(ledger.counted).hasSize(2);
    assertThat(ledger.audited).hasSize(2);
    assertThat(ledger.closed).isEqualTo(2);
  }

  @Test
  void aReplayIsMarkedAsOne() {
    FakeOutcome outcome = new FakeOutcome(true);
    outcome.respond(CREATED, Outcome.REPLAYED, null, true);
    assertThat(outcome.written).containsExactly("201 replayed");
    assertThat(ledger.counted).containsExactly("null replayed");
  }

  @Test
  void aVeryLongPathIsAuditedCut() {
    FakeOutcome outcome = new FakeOutcome(true);
    outcome.path = "/orders/" + "x".repeat(5000);
    outcome.refuse(Failure.BAD_PATH, "too long");
    assertThat(ledger.audited.get(0).path()).hasSize(2048);
  }

  private final class FakeOutcome extends Outcome {
    private final boolean open;
    final List<String> written = new ArrayList<>();
    final List<Buffer> problems = new ArrayList<>();
    boolean closed;
    String path = "/orders";

    FakeOutcome(boolean open) {
      super(ledger, "req-1", 1_000_000, 7);
      this.open = open;
    }

    @Override
    boolean open() {
      return open;
    }

    @Override
    void write(BackendReply reply, boolean replayed) {
      written.add(reply.status() + (replayed ? " replayed" : ""));
    }

    @Override
    void writeProblem(Failure failure, Buffer document) {
      written.add("problem " + failure.status());
      problems.add(document);
    }

    @Override
    void closeConnection() {
      closed = true;
    }

    @Override
    String auditedMethod() {
      return "POST";
    }

    @Override
    String path() {
      return path;
    }
  }

  private static final class FakeLedger implements Ledger {
    final List<String> counted = new ArrayList<>();
    final List<AuditRecord> audited = new ArrayList<>();
    int open;
    int closed;

    @Override
    public void open() {
      open++;
    }

    @Override
    public void count(String source, String decision, long nanos, long completedEpochMillis) {
      counted.add(source + " " + decision);
    }

    @Override
    public void audit(AuditRecord record) {
      audited.add(record);
    }

    @Override
    public void close() {
      closed++;
    }

    @Override
    public int inFlight() {
      return open - closed;
    }
  }
}
