package io.hookline.queryapi.console.http;

import io.hookline.queryapi.console.ConsoleFormat;
import io.hookline.queryapi.console.CsrfTokens;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.replay.ExecutionNotFoundException;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.webhooks.WebhookNotFoundException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.thymeleaf.ThymeleafViewsRenderer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the console's Thymeleaf templates ({@code src/main/resources/views/console}) into HTML
 * answers with the headers every page gets: no caching (pages show secrets and live data), no
 * framing, no referrer, and a Content-Security-Policy that allows scripts, styles and connections
 * from this origin only. Also turns what the services report into pages instead of the API's JSON:
 * a view that is not ready is a 503 "not ready yet, retrying" page with Retry-After (never an empty
 * list), an unknown webhook or execution a 404 page, a bad parameter a 400 page naming it, and any
 * other failure a 500 page that shows no internals.
 */
@Singleton
public class ConsolePages {

  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";
  /** Seconds a browser waits before asking again for a page whose view was not ready. */
  static final int RETRY_AFTER_SECONDS = 2;

  private static final Logger LOG = LoggerFactory.getLogger(ConsolePages.class);
  /** Where htmx is served: its WebJar's folder under /console/assets/webjars, named by the WebJar's version. */
  static final String HTMX = "/console/assets/webjars/htmx.org/" + webJarVersion("org.webjars.npm", "htmx.org")
      + "/dist/htmx.min.js";

  private final ThymeleafViewsRenderer<Map<String, Object>> renderer;
  private final CsrfTokens csrfTokens;

  public ConsolePages(ThymeleafViewsRenderer<Map<String, Object>> renderer, CsrfTokens csrfTokens) {
    this.renderer = renderer;
    this.csrfTokens = csrfTokens;
  }

  /** Template {@code console/<template>} with {@code model}, the session and the title, as a 200. */
  public MutableHttpResponse<String> page(HttpRequest<?> request, String template, String title,
      Map<String, Object> model) {
    return page(request, HttpStatus.OK, template, title, model);
  }

  public MutableHttpResponse<String> page(HttpRequest<?> request, HttpStatus status, String template, String title,
      Map<String, Object> model) {
    Map<String, Object> all = new HashMap<>(model);
    all.put("title", title);
    all.put("htmx", HTMX);
    all.put("fmt", ConsoleFormat.TEMPLATES);
    all.putIfAbsent("session", ConsoleSession.of(request, csrfTokens).orElse(null));
    StringWriter html = new StringWriter();
    try {
      renderer.render("console/" + template, all, request).writeTo(html);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return withHeaders(HttpResponse.<String>status(status).body(html.toString()));
  }

  /** A page that only says something: a heading, a message and a way on. */
  public MutableHttpResponse<String> message(HttpRequest<?> request, HttpStatus status, String title, String message,
      String backHref, String backLabel) {
    Map<String, Object> model = new HashMap<>();
    model.put("message", message);
    model.put("backHref", backHref);
    model.put("backLabel", backLabel);
    model.put("status", status.getCode());
    return page(request, status, "message", title, model);
  }

  /**
   * The page {@code render} makes, or the page that says why there is none: the services' own
   * exceptions become 503, 404 and 400 pages.
   */
  public MutableHttpResponse<String> answer(HttpRequest<?> request, String backHref,
      Supplier<MutableHttpResponse<String>> render) {
    try {
      return render.get();
    } catch (StoreUnavailableException e) {
      LOG.warn("{} {}: {}", request.getMethod(), request.getPath(), e.getMessage());
      Map<String, Object> model = new HashMap<>();
      model.put("message", "The delivery views are starting or rebalancing and cannot answer yet. This page tries "
          + "again by itself in a few seconds.");
      model.put("backHref", request.getPath());
      model.put("backLabel", "Try again now");
      model.put("status", 503);
      model.put("retryAfter", RETRY_AFTER_SECONDS);
      return page(request, HttpStatus.SERVICE_UNAVAILABLE, "message", "Not ready yet, retrying", model)
          .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
    } catch (WebhookNotFoundException | ExecutionNotFoundException e) {
      return message(request, HttpStatus.NOT_FOUND, "Not found", e.getMessage(), backHref, "Back");
    } catch (InvalidFieldException e) {
      return message(request, HttpStatus.BAD_REQUEST, "Bad request", e.getMessage(), request.getPath(), "Reset");
    } catch (RuntimeException e) {
      // Anything else is a fault here: logged whole, shown as a page without internals.
      LOG.error("{} {} failed", request.getMethod(), request.getPath(), e);
      return message(request, HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong",
          "The console could not show this page; the service's log says why.", backHref, "Back");
    }
  }

  /** The 403 page of a form posted without the session's CSRF token. */
  public MutableHttpResponse<String> csrfRefused(HttpRequest<?> request) {
    return message(request, HttpStatus.FORBIDDEN, "Request refused",
        "This form was not sent from a page of this console session (its CSRF token is missing or wrong). "
            + "Reload the page and try again.", "/console", "Back to the console");
  }

  private static String webJarVersion(String group, String artifact) {
    String path = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = ConsolePages.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("The " + artifact + " WebJar is not on the classpath (" + path + ")");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> MutableHttpResponse<T> withHeaders(MutableHttpResponse<T> response) {
    return response.contentType(MediaType.TEXT_HTML_TYPE.toString() + ";charset=utf-8")
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY")
        // Not no-referrer: under it a browser sends "Origin: null" with every form POST, which the sign-in's
        // same-origin check (and Micronaut's drive-by-localhost guard, on 127.0.0.1) refuses.
        .header("Referrer-Policy", "same-origin");
  }
}
