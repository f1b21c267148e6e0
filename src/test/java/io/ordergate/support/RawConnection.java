package io.ordergate.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One TCP connection that sends whatever bytes a test likes, when it likes, and reads what comes
 * back: for clients that a real HTTP client would never be (slow, broken, hostile).
 */
public final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private boolean closedByPeer;

  public RawConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
  }

  /** Sends bytes (ISO-8859-1); false when the gateway has already closed the connection. */
  public boolean send(String bytes) {
    try {
      socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads until the gateway closes the connection or {@code millis} pass; returns everything read
   * so far on this connection.
   */
  public String readUntilClosed(long millis) {
    long end = System.currentTimeMillis() + millis;
    byte[] buffer = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      while (!closedByPeer && System.currentTimeMillis() < end) {
        socket.setSoTimeout((int) Math.max(1, Math.min(200, end - System.currentTimeMillis())));
        try {
          int n = in.read(buffer);
          if (n < 0) {
            closedByPeer = true;
          } else {
            received.write(buffer, 0, n);
          }
        } catch (SocketTimeoutException e) {
          // keep waiting
        }
      }
    } catch (IOException e) {
      closedByPeer = true; // a reset is a close too
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads until {@code marker} has arrived, the connection closes, or {@code millis} pass. */
  public String readUntil(String marker, long millis) {
    long end = System.currentTimeMillis() + millis;
    byte[] buffer = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      while (!closedByPeer
          && System.currentTimeMillis() < end
          && !received.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
        socket.setSoTimeout((int) Math.max(1, Math.min(200, end - System.currentTimeMillis())));
        try {
          int n = in.read(buffer);
          if (n < 0) {
            closedByPeer = true;
          } else {
            received.write(buffer, 0, n);
          }
        } catch (SocketTimeoutException e) {
          // keep waiting
        }
      }
    } catch (IOException e) {
      closedByPeer = true;
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  public boolean closedByPeer() {
    return closedByPeer;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
