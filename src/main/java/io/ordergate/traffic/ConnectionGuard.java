package io.ordergate.traffic;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.ordergate.audit.AuditWriter;
import io.ordergate.config.LimitSettings;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.VertxHttpObject;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The traffic port's defences below the request path, shared by every traffic server of a replica.
 *
 * <ul>
 *   <li>A connection cap ({@code ORDERGATE_MAX_CONNECTIONS}), kept below the file-descriptor limit
 *       so that the ops port, PostgreSQL and the order system always get a descriptor. At the cap a
 *       new connection takes the place of the oldest connection that has not completed a request
 *       head yet (a slow-header client, not a working one); when there is none, it is closed. The
 *       same happens when more than a quarter of the cap, at most 500, wait for their first head
 *       ({@link FirstHeads}): a slow connection costs heap and GC time, not only a descriptor.
 *   <li>A header deadline ({@code ORDERGATE_HEADER_TIMEOUT_MS}): from the first byte of a request,
 *       or from the opening of the connection, until its request line and headers are complete; not
 *       reset by each byte, so dripping a header line a minute keeps nothing open. A late head is
 *       answered 408 with a problem document, counted and audited, and the connection closed. The
 *       deadlines are checked by one sweep per event loop ({@link HeadDeadlines}), not a timer per
 *       head.
 *   <li>The strict decoder ({@link StrictRequestDecoder}) in place of Vert.x's own.
 *   <li>Pending responses are flushed before a connection closes, so the 400 for a body the decoder
 *       could not parse reaches the client instead of being dropped with the connection.
 * </ul>
 *
 * The Netty pipeline is reached through Vert.x's {@link Http1xServerConnection}: Vert.x 5 has no
 * public option for any of these.
 */
public final class ConnectionGuard {
  private final int cap;
  private final long headerTimeoutNanos;
  private final HeadDeadlines deadlines;
  private final AtomicInteger open = new AtomicInteger();
  private final FirstHeads firstHeads;
  private final Counter refused;
  private final Counter evicted;
  private final Unparsed unparsed;

  public ConnectionGuard(
      LimitSettings limits,
      GateMetrics metrics,
      AuditWriter audit,
      LongSupplier revision,
      Clock clock) {
    this.cap = limits.maxConnections();
    this.firstHeads = new FirstHeads(FirstHeads.limitFor(cap));
    this.headerTimeoutNanos = limits.headerTimeout().toNanos();
    this.deadlines = new HeadDeadlines(limits.headerTimeout());
    this.unparsed = new Unparsed(metrics, audit, revision, clock);
    this.refused =
        metrics.counter(
            "ordergate.connections.refused",
            "Traffic connections closed at once because the connection cap was reached");
    this.evicted =
        metrics.counter(
            "ordergate.connections.evicted",
            "Traffic connections without a complete request head closed to make room for a new one");
    metrics.gauge("ordergate.connections.open", "Traffic connections open now", open::get);
    metrics.gauge(
        "ordergate.connections.limit",
        "Traffic connections allowed (ORDERGATE_MAX_CONNECTIONS)",
        () -> cap);
  }

  /** Traffic connections open now. */
  public int open() {
    return open.get();
  }

  /** The connection handler of a traffic server; runs before the connection reads anything. */
  void attach(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof Http1xServerConnection http1)) {
      return; // only HTTP/1.x is served (h2c is off, there is no TLS)
    }
    ChannelHandlerContext vertxHandler = http1.channelHandlerContext();
    Channel channel = vertxHandler.channel();
    open.incrementAndGet();
    channel.closeFuture().addListener(f -> open.decrementAndGet());
    if (open.get() > cap && !evictOne()) {
      refused.increment();
      channel.close();
      return;
    }
    StrictRequestDecoder decoder = new StrictRequestDecoder(options);
    Watch watch = new Watch(channel, decoder);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.replace("httpDecoder", "httpDecoder", decoder);
    pipeline.addBefore("httpDecoder", "ordergateBytes", watch.bytes);
    pipeline.addBefore(vertxHandler.name(), "ordergateMessages", watch.messages);
    firstHeads.add(watch.firstHead);
    // after add: on a channel already closed the listener runs at once
    channel.closeFuture().addListener(f -> firstHeads.done(watch.firstHead));
    watch.startHead();
    deadlines.watch(channel, watch);
    if (firstHeads.overLimit()) {
      evictOne(); // too many slow connections: the oldest makes way, as at the cap
    }
  }

  /** Closes the connection that has waited longest for its first head ({@link FirstHeads}). */
  private boolean evictOne() {
    if (!firstHeads.evictOldest()) {
      return false;
    }
    evicted.increment();
    return true;
  }

  /**
   * One connection's request framing as the decoder sees it. Everything except {@link #firstHead}
   * runs on the connection's event loop.
   */
  private final class Watch extends HeadDeadlines.Entry {
    final Channel channel;
    final StrictRequestDecoder decoder;
    final FirstHeads.Entry firstHead;
    final Bytes bytes = new Bytes();
    final Messages messages = new Messages();

    /** A head has begun (or the connection opened) and is not complete. */
    boolean inHead;

    /** A head is complete and its body is not. */
    boolean inBody;

    /** Requests whose head arrived and whose response has not been written to the end. */
    int pendingResponses;

    /** A refused request or a "Connection: close" answer: no further request is read. */
    boolean closing;

    /** A request arrived after {@link #closing}: it and everything after it are dropped. */
    boolean dropping;

    /** Close once the body in progress has been read. */
    boolean closeWhenBodyEnds;

    long headStartNanos;

    Watch(Channel channel, StrictRequestDecoder decoder) {
      this.channel = channel;
      this.decoder = decoder;
      this.firstHead =
          new FirstHeads.Entry(
              channel::isActive, () -> channel.eventLoop().execute(this::closeUnheard));
    }

    void startHead() {
      inHead = true;
      headStartNanos = System.nanoTime();
    }

    void headComplete() {
      inHead = false;
      firstHeads.done(firstHead);
    }

    /**
     * Closes the connection without reading further: the partial head the decoder still holds would
     * otherwise come out as a second, malformed request when the connection closes.
     */
    void closeUnheard() {
      dropping = true;
      decoder.discardOnClose();
      channel.close();
    }

    @Override
    boolean overdue(long nowNanos, long timeoutNanos) {
      return inHead && nowNanos - headStartNanos >= timeoutNanos;
    }

    @Override
    void expire() {
      if (!inHead || !channel.isActive()) {
        return;
      }
      inHead = false;
      firstHeads.done(firstHead);
      dropping = true; // the 408 below is this head's one answer
      decoder.discardOnClose();
      if (pendingResponses > 0) {
        channel.close(); // an answer is still being written: a second one would corrupt it
        return;
      }
      FullHttpResponse response =
          unparsed.headerTimedOut(
              headStartNanos, TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos));
      channel
          .pipeline()
          .context(messages)
          .writeAndFlush(response)
          .addListener(ChannelFutureListener.CLOSE);
    }

    /** Sees raw bytes before the decoder: the first byte of a head starts its deadline. */
    final class Bytes extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!inHead && !inBody) {
          startHead();
        }
        ctx.fireChannelRead(msg);
      }
    }

    /** Sees decoded requests and the responses written to them. */
    final class Messages extends ChannelDuplexHandler {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
          headComplete();
          if (closing) {
            // Nothing after a refused request or an answer that closes the connection is read:
            // with ambiguous framing, what follows may be a request smuggled inside a body.
            dropping = true;
          } else {
            StrictRequestDecoder.refuseOtherVersions(request);
            pendingResponses++;
            inBody = true;
            closing = request.decoderResult().isFailure();
          }
        }
        if (dropping) {
          ReferenceCountUtil.release(msg);
          return;
        }
        if (msg instanceof LastHttpContent) {
          inBody = false;
        }
        ctx.fireChannelRead(msg);
        if (msg instanceof LastHttpContent && closeWhenBodyEnds) {
          ctx.channel().close();
        }
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response
            && response.headers().containsValue(HttpHeaderNames.CONNECTION, "close", true)) {
          closing = true;
        }
        // Vert.x marks the last part of a response it writes; anything else written is not one.
        boolean ended = msg instanceof VertxHttpObject part && part.isEnded();
        if (ended && pendingResponses > 0) {
          pendingResponses--;
        }
        ChannelPromise written = ended && closing ? promise.unvoid() : promise;
        ctx.write(msg, written);
        if (ended && closing) {
          // The answer said "Connection: close": close once it is out and the request's body has
          // been read (closing earlier would reset the connection and could lose the answer).
          if (inBody) {
            closeWhenBodyEnds = true;
          } else {
            written.addListener(f -> ctx.channel().close());
          }
        }
      }

      @Override
      public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.flush(); // what was written before the close goes out first
        ctx.close(promise);
      }
    }
  }
}
