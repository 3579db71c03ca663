package io.hookline.queryapi;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** Query-api servers that a test starts itself (several instances, restarts): each on a free port. */
public final class QueryApiServers {

  private QueryApiServers() {}

  /**
   * Starts the query-api with the test security settings ({@link TestTokens#securityProperties()}),
   * a free HTTP port, and {@code settings}, which win over both.
   */
  public static EmbeddedServer start(Map<String, Object> settings) {
    Map<String, Object> props = new HashMap<>(TestTokens.securityProperties());
    props.put("hookline.http-port", freePort());
    props.putAll(settings);
    return ApplicationContext.run(EmbeddedServer.class, props);
  }

  /** A TCP port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
