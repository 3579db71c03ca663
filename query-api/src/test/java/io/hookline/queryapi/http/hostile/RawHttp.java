package io.hookline.queryapi.http.hostile;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection that sends requests exactly as given, byte for byte: request lines with
 * raw junk, header values with NUL bytes, conflicting framing, unknown methods. Standard clients
 * refuse to send such requests, which is why a hostile-input test needs its own. Keeps the
 * connection alive between requests and opens a new one when the server closed it.
 */
final class RawHttp implements AutoCloseable {

  /** The most of a response body kept; a longer one is read to its end and cut. */
  private static final int KEPT_BODY = 64 * 1024;

  private final InetSocketAddress server;
  private final int readTimeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawHttp(InetSocketAddress server, int readTimeoutMillis) {
    this.server = server;
    this.readTimeoutMillis = readTimeoutMillis;
  }

  /** An answer: its status, its headers (names in lower case), its body (at most 64 KiB of it). */
  record Response(int status, Map<String, List<String>> headers, byte[] body, long nanos) {

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends {@code request} and reads the answer. A connection the server closed while it was idle is
   * replaced and the request sent again; a server that closes a fresh connection without answering
   * is an {@link IOException}.
   */
  Response exchange(byte[] request, boolean head) throws IOException {
    boolean reused = socket != null;
    if (!reused) {
      connect();
    }
    long start = System.nanoTime();
    try {
      return send(request, head, start);
    } catch (NoAnswerException e) {
      close();
      if (!reused) {
        throw e;
      }
      connect();
      return send(request, head, System.nanoTime());
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response send(byte[] request, boolean head, long start) throws IOException {
    IOException writeFailure = null;
    try {
      out.write(request);
      out.flush();
    } catch (SocketException e) {
      // The server may refuse a request before it has all of it (a body over the limit) and close;
      // its answer can still be waiting in the socket.
      writeFailure = e;
    }
    Response response;
    try {
      response = read(head, start);
    } catch (NoAnswerException e) {
      if (writeFailure != null) {
        e.addSuppressed(writeFailure);
      }
      throw e;
    }
    if (writeFailure != null || "close".equalsIgnoreCase(response.header("connection"))) {
      close();
    }
    return response;
  }

  private Response read(boolean head, long start) throws IOException {
    while (true) {
      String statusLine = line(true);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("Not an HTTP status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String h = line(false); !h.isEmpty(); h = line(false)) {
        int colon = h.indexOf(':');
        headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(h.substring(colon + 1).trim());
      }
      if (status >= 100 && status < 200) {
        continue;
      }
      Response headOnly = new Response(status, headers, new byte[0], System.nanoTime() - start);
      String length = first(headers, "content-length");
      String encoding = first(headers, "transfer-encoding");
      String type = first(headers, "content-type");
      if (head || status == 204 || status == 304) {
        return headOnly;
      }
      if (type != null && type.startsWith("text/event-stream")) {
        // An endless stream: its headers are the answer.
        close();
        return headOnly;
      }
      byte[] body;
      try {
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
          body = chunked();
        } else if (length != null) {
          body = exactly(Long.parseLong(length.trim()));
        } else {
          body = untilClosed();
          close();
        }
      } catch (IOException e) {
        throw new IOException("The body of a " + status + " answer with headers " + headers + " did not end: " + e, e);
      }
      return new Response(status, headers, body, System.nanoTime() - start);
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null ? null : values.get(0);
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(false);
      int semicolon = size.indexOf(';');
      long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        for (String trailer = line(false); !trailer.isEmpty(); trailer = line(false)) {
          // trailers are not needed
        }
        return body.toByteArray();
      }
      keep(body, exactly(n));
      line(false);
    }
  }

  private byte[] exactly(long n) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long left = n;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new EOFException("The answer ended " + left + " bytes before its length");
      }
      if (body.size() < KEPT_BODY) {
        body.write(buffer, 0, Math.min(read, KEPT_BODY - body.size()));
      }
      left -= read;
    }
    return body.toByteArray();
  }

  private static void keep(ByteArrayOutputStream body, byte[] chunk) {
    body.write(chunk, 0, Math.min(chunk.length, Math.max(0, KEPT_BODY - body.size())));
  }

  private byte[] untilClosed() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
      keep(body, java.util.Arrays.copyOf(buffer, read));
    }
    return body.toByteArray();
  }

  /** One line without its CRLF; at the start of an answer, end of stream means no answer came. */
  private String line(boolean startOfAnswer) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b;
      try {
        b = in.read();
      } catch (SocketException e) {
        if (startOfAnswer && line.size() == 0) {
          throw new NoAnswerException("The connection was reset before an answer: " + e.getMessage());
        }
        throw e;
      }
      if (b < 0) {
        if (startOfAnswer && line.size() == 0) {
          throw new NoAnswerException("The server closed the connection without an answer");
        }
        throw new EOFException("The answer ended in the middle of a line");
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(readTimeoutMillis);
    socket.connect(server, readTimeoutMillis);
    in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
    out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // already gone
      }
      socket = null;
    }
  }

  /** The server closed the connection before it sent any byte of an answer. */
  static final class NoAnswerException extends IOException {
    NoAnswerException(String message) {
      super(message);
    }
  }
}
