package io.hookline.queryapi.console.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.ApiUnderTest;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a browser does with the console, over real HTTP without following redirects: sign in with a
 * token and keep the session cookie, GET pages with it, post forms with it (with or without the CSRF
 * field the page gave).
 */
final class ConsoleBrowser {

  static final String COOKIE = "hookline_session";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern SESSION = Pattern.compile(COOKIE + "=([^;]*)");

  private final ApiUnderTest api;
  private String session;

  ConsoleBrowser(ApiUnderTest api) {
    this.api = api;
  }

  /** Posts the sign-in form with {@code token}; keeps the session cookie it sets, if any. */
  HttpResponse<String> signIn(String token) throws IOException, InterruptedException {
    HttpResponse<String> r = postForm("/console/sign-in", Map.of("token", token));
    r.headers().allValues("Set-Cookie").stream().map(SESSION::matcher).filter(Matcher::find)
        .findFirst().ifPresent(m -> session = m.group(1));
    return r;
  }

  /** Signs in and asserts it worked. */
  ConsoleBrowser signedIn(String token) throws IOException, InterruptedException {
    HttpResponse<String> r = signIn(token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    assertThat(session).isNotBlank();
    return this;
  }

  String session() {
    return session;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path).GET().build(), BodyHandlers.ofString());
  }

  /** GETs a page that must answer 200 and returns its HTML. */
  String page(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    return r.body();
  }

  HttpResponse<String> postForm(String path, Map<String, String> fields) throws IOException, InterruptedException {
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return HTTP.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
  }

  /** Posts a form with the CSRF token of the page at {@code pagePath}, as the page's own form would. */
  HttpResponse<String> submit(String pagePath, String action, Map<String, String> fields)
      throws IOException, InterruptedException {
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put("_csrf", csrf(page(pagePath)));
    return postForm(action, all);
  }

  static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a CSRF field in the page").isTrue();
    return m.group(1);
  }

  /** A request with the session cookie (when signed in) and the extra headers given. */
  HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30));
    if (session != null) {
      b.header("Cookie", COOKIE + "=" + session);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return HTTP.send(request, BodyHandlers.ofString());
  }
}
