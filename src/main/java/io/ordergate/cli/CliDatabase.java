package io.ordergate.cli;

import io.ordergate.app.Await;
import io.ordergate.app.Parts;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.Env;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A command's own Vert.x and connection pool on ORDERGATE_DATABASE_URL, schema migrated; close it
 * when done.
 */
final class CliDatabase implements AutoCloseable {
  final DatabaseSettings settings;
  final Vertx vertx;
  final Pool pool;

  private CliDatabase(DatabaseSettings settings, Vertx vertx) {
    this.settings = settings;
    this.vertx = vertx;
    this.pool = Database.pool(vertx, settings, 30);
  }

  /**
   * A command's Vert.x: no blocked-thread warnings. A command prints one report (or one line on
   * failure); a pause of its own event loop on a loaded machine is not the operator's business and
   * would only add a confusing WARN line. No file cache: a command serves no files, and making and
   * deleting the cache directory only lengthened its start and exit.
   */
  static Vertx newVertx() {
    return CommandExit.closedAtExit(
        Vertx.vertx(
            new VertxOptions()
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false))
                .setMaxEventLoopExecuteTime(1)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.HOURS)
                .setMaxWorkerExecuteTime(1)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS)));
  }

  static CliDatabase open() {
    Vertx vertx = newVertx();
    try {
      return open(vertx);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /**
   * As {@link #open()}, on a Vert.x the command made already and may be using meanwhile (so a
   * failure closes only the pool); {@link #close()} closes both.
   */
  static CliDatabase open(Vertx vertx) {
    CliTiming.mark("opening the database");
    CliDatabase db = new CliDatabase(DatabaseSettings.from(Env.system()), vertx);
    CliTiming.mark("pool made");
    try {
      db.await(Migrations.migrate(db.pool), 60);
      CliTiming.mark("schema checked");
      return db;
    } catch (RuntimeException e) {
      db.pool.close();
      throw e;
    }
  }

  /**
   * The future's result; a failure the operator cannot act on otherwise says which database it was.
   */
  <T> T await(Future<T> future, long seconds) {
    try {
      return Await.result(future, seconds);
    } catch (CliFailure e) {
      throw e;
    } catch (Await.Unfinished | IllegalArgumentException e) {
      throw new CliFailure(e.getMessage());
    } catch (RuntimeException e) {
      throw new CliFailure("database error at " + settings + ": " + e.getMessage());
    }
  }

  /**
   * The shared parts, built on this database for a command that names itself {@code instanceId}.
   */
  Parts parts(String instanceId) {
    return new Parts(vertx, pool, settings, new GateMetrics(), instanceId, Clock.systemUTC());
  }

  /**
   * Runs {@code opening} (the database opened, and what the command reads with it) on a thread of
   * its own, beside the command's Unleash call: each takes a few hundred ms of a command's start.
   * The thread is a daemon: a command that fails on Unleash exits without waiting for it.
   */
  static <T> CompletableFuture<T> openBeside(Supplier<T> opening) {
    return CompletableFuture.supplyAsync(
        opening,
        r -> {
          Thread t = new Thread(r, "open-database");
          t.setDaemon(true);
          t.start();
        });
  }

  /** What {@link #openBeside} made, or its failure as thrown. */
  static <T> T joined(CompletableFuture<T> opening) {
    try {
      return opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * Starts closing without waiting: for a command about to exit, where the process's end closes the
   * connections anyway and waiting for an orderly close only delays the operator's prompt.
   */
  void closeInBackground() {
    pool.close().eventually(vertx::close);
  }

  @Override
  public void close() {
    Await.result(pool.close(), 30);
    Await.result(vertx.close(), 30);
  }
}
