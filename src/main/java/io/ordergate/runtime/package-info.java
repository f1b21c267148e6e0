/**
 * What the gateway runs on: the network transport (io_uring, epoll or NIO, see {@link
 * io.ordergate.runtime.Transports}) and how it is reported ({@link
 * io.ordergate.runtime.RuntimeInfo}: {@code /ops/runtime}, {@code ordergate_transport_info}). Other
 * packages use {@code Transports.newVertx} and {@code RuntimeInfo}.
 */
package io.ordergate.runtime;
