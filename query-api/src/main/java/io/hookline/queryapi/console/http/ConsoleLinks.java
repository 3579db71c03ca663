package io.hookline.queryapi.console.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The console's URLs, built in one place with every path segment encoded. */
public final class ConsoleLinks {

  private ConsoleLinks() {}

  public static String overview(String portal) {
    return "/console/" + segment(portal);
  }

  public static String webhook(String portal, String webhookId) {
    return overview(portal) + "/webhooks/" + segment(webhookId);
  }

  public static String execution(String portal, String webhookId, String executionId) {
    return webhook(portal, webhookId) + "/executions/" + segment(executionId);
  }

  /** The live failures of a portal, Server-Sent Events of the API. */
  public static String failureStream(String portal) {
    return "/api/v2/" + segment(portal) + "/failures/stream";
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
