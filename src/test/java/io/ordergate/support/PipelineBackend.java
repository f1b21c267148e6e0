package io.ordergate.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An order system on a raw socket that reads pipelined HTTP/1.1 requests as they come and answers
 * them in order, each when its script says: after a delay, and on the first connection it may close
 * after a number of answers with the rest unanswered. Vert.x's own server would hide the pipelining
 * (it reads one request at a time); this one shows what the gateway wrote and when.
 */
public final class PipelineBackend implements AutoCloseable {
  /** One request as read: its connection (from 1), its place on that connection (from 0). */
  public record Received(int connection, int index, String requestId) {}

  private final Vertx vertx;
  private final NetServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> answered = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger orderIds = new AtomicInteger();
  private volatile long headDelayMillis;
  private volatile long delayMillis;
  private volatile int closeFirstAfter = Integer.MAX_VALUE;

  private PipelineBackend(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createNetServer().connectHandler(this::serve);
  }

  public static PipelineBackend start(Vertx vertx) {
    PipelineBackend backend = new PipelineBackend(vertx);
    try {
      backend.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return backend;
  }

  /** The first request on the first connection waits this long; the rest wait behind it. */
  public PipelineBackend slowHead(long millis) {
    headDelayMillis = millis;
    return this;
  }

  /** Every request waits this long after it arrived (so the ones behind it arrive meanwhile). */
  public PipelineBackend delay(long millis) {
    delayMillis = millis;
    return this;
  }

  /** The first connection closes right after its {@code answers}-th answer. */
  public PipelineBackend closeFirstConnectionAfter(int answers) {
    closeFirstAfter = answers;
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Received> received() {
    return received;
  }

  /** The request ids answered, in order. */
  public List<String> answered() {
    return answered;
  }

  private void serve(NetSocket socket) {
    int connection = connections.incrementAndGet();
    Buffer[] pending = {Buffer.buffer()};
    int[] index = {0};
    Future<?>[] last = {Future.succeededFuture()};
    boolean[] closed = {false};
    socket.closeHandler(v -> closed[0] = true);
    socket.handler(
        chunk -> {
          pending[0].appendBuffer(chunk);
          String request;
          while ((request = next(pending)) != null) {
            int i = index[0]++;
            String id = header(request, "x-request-id");
            received.add(new Received(connection, i, id));
            long wait = delayMillis + (connection == 1 && i == 0 ? headDelayMillis : 0);
            long readyAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
            // Answers leave in the order the requests came (HTTP/1.1), each not before it is due.
            last[0] =
                last[0].transform(
                    ar -> {
                      Promise<Void> due = Promise.promise();
                      long left = TimeUnit.NANOSECONDS.toMillis(readyAt - System.nanoTime());
                      if (left < 1) {
                        due.complete();
                      } else {
                        vertx.setTimer(left, t -> due.complete());
                      }
                      return due.future()
                          .map(
                              v -> {
                                if (!closed[0]) {
                                  answer(socket, id);
                                  if (connection == 1 && i + 1 == closeFirstAfter) {
                                    closed[0] = true;
                                    socket.close();
                                  }
                                }
                                return null;
                              });
                    });
          }
        });
  }

  private void answer(NetSocket socket, String requestId) {
    answered.add(requestId);
    String body = "{\"id\":\"ord-" + orderIds.incrementAndGet() + "\"}";
    socket.write(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body);
  }

  /** The next whole request (head and body) taken from the buffer, or null until one is in. */
  private static String next(Buffer[] pending) {
    String text = pending[0].toString(StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return null;
    }
    String head = text.substring(0, headEnd);
    String length = header(head, "content-length");
    int end = headEnd + 4 + (length == null ? 0 : Integer.parseInt(length));
    if (text.length() < end) {
      return null;
    }
    pending[0] = pending[0].getBuffer(end, pending[0].length());
    return head;
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  @Override
  public void close() {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
