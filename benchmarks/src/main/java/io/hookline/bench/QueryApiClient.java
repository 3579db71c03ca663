package io.hookline.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * The benchmark's own HTTP client for the checks around the measurements (readiness, page
 * contents, the restore probe): each request carries the dev token of the portal in its path.
 */
final class QueryApiClient {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, String> tokens;

  /** @param tokens bearer token by portal */
  QueryApiClient(Map<String, String> tokens) {
    this.tokens = tokens;
  }

  /** GET {@code /api/v2/<portal>/...} on that instance with the portal's token. */
  HttpResponse<String> get(QueryApiInstance instance, String pathAndQuery) throws IOException, InterruptedException {
    String portal = pathAndQuery.substring("/api/v2/".length(), pathAndQuery.indexOf('/', "/api/v2/".length()));
    return PageQueries.get(http, instance.baseUrl() + pathAndQuery, tokens.get(portal));
  }
}
