package io.hookline.queryapi.view.peer;

import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.view.StoreUnavailableException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks another query-api instance over HTTP for its part of a view, on an internal route
 * ({@link PeerProtocol}), presenting the caller's own bearer token: the other instance checks the
 * token, scope and portal exactly as for a client, so forwarding grants nothing the caller does not
 * have. Anything but a 200 within {@link #ANSWER_TIMEOUT} (unreachable, refused, not ready,
 * unknown webhook there yet) is a {@link StoreUnavailableException}, and the routing tries the next
 * copy. The timeouts are short because a caller may wait for two of them (the owner, then a standby
 * on a third instance) and must still get its answer, or its 503, within a few seconds; a healthy
 * instance answers a forwarded page in milliseconds. Plain HTTP to the advertised host:port, as the
 * instances' HTTP API is served.
 */
@Singleton
public class PeerClient {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(PeerClient.class);

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();
  private final String self;

  public PeerClient(QueryApiConfiguration config) {
    this.self = config.getQueryAdvertisedUrl();
  }

  /**
   * The answer to {@code GET pathAndQuery} on {@code peer}, asked for {@code caller} and read by
   * {@code decode}; an answer that cannot be read (a peer of another version, a cut body) means
   * that instance cannot answer now: StoreUnavailableException naming {@code what} was asked.
   */
  public <T> T get(HostInfo peer, Caller caller, String pathAndQuery, String what, Function<byte[], T> decode) {
    return decoded(peer, what, get(peer, caller, pathAndQuery), decode);
  }

  /**
   * The answer to {@code POST path} with {@code body} ({@value PeerProtocol#RECORDS_MEDIA_TYPE}) on
   * {@code peer}, asked for {@code caller} and read by {@code decode}: for questions too large for a
   * query string (many ids at once). Same rules as {@link #get(HostInfo, Caller, String, String, Function)}.
   */
  public <T> T post(HostInfo peer, Caller caller, String path, byte[] body, String what,
      Function<byte[], T> decode) {
    return decoded(peer, what, send(peer, caller, path, HttpRequest.BodyPublishers.ofByteArray(body)), decode);
  }

  private static <T> T decoded(HostInfo peer, String what, byte[] body, Function<byte[], T> decode) {
    try {
      return decode.apply(body);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("instance " + peer.host() + ":" + peer.port() + " answered " + what
          + " that cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** The body of {@code GET pathAndQuery} on {@code peer}, asked for {@code caller}. */
  public byte[] get(HostInfo peer, Caller caller, String pathAndQuery) {
    return send(peer, caller, pathAndQuery, null);
  }

  /** The body of the answer to a GET, or to a POST of {@code body} when it is not null. */
  private byte[] send(HostInfo peer, Caller caller, String pathAndQuery, HttpRequest.BodyPublisher body) {
    String address = peer.host() + ":" + peer.port();
    URI uri = URI.create("http://" + address + pathAndQuery);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(ANSWER_TIMEOUT)
        .header("Authorization", "Bearer " + caller.bearerToken())
        .header("Accept", PeerProtocol.RECORDS_MEDIA_TYPE)
        .header(PeerProtocol.FORWARDED_BY_HEADER, self);
    HttpRequest request = body == null ? builder.GET().build()
        : builder.header("Content-Type", PeerProtocol.RECORDS_MEDIA_TYPE).POST(body).build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new StoreUnavailableException("instance " + address + " did not answer (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while asking instance " + address, e);
    }
    if (response.statusCode() == 200) {
      return response.body();
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      // The caller passed this instance's checks; the other refusing it means the instances do not
      // share their token settings (HOOKLINE_JWT_SECRET / HOOKLINE_JWT_JWKS_URL), or it just expired.
      LOG.warn("Instance {} refused a forwarded request ({}): do all instances check tokens with the same keys?",
          address, response.statusCode());
    }
    throw new StoreUnavailableException("instance " + address + " answered " + response.statusCode(), null);
  }
}
