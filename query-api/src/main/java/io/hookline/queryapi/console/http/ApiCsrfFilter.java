package io.hookline.queryapi.console.http;

import io.hookline.queryapi.auth.http.SessionCookieTokenReader;
import io.hookline.queryapi.console.CsrfTokens;
import io.hookline.queryapi.http.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Set;

/**
 * The session cookie makes a browser's requests authenticated on the API too (the console's live
 * stream needs it), and a browser sends the cookie on its own; so a state-changing request
 * ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) outside the console that is authenticated
 * by the cookie alone must carry the session's CSRF token in {@value CsrfTokens#HEADER}, else it is
 * refused with 403 {@code CSRF_TOKEN_INVALID} before any security rule or controller runs. Requests
 * with an {@code Authorization} header are not affected. Console forms carry the token in a form field
 * instead, checked by their controllers.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class ApiCsrfFilter implements Ordered {

  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.TRACE);

  private final CsrfTokens csrfTokens;

  public ApiCsrfFilter(CsrfTokens csrfTokens) {
    this.csrfTokens = csrfTokens;
  }

  @RequestFilter
  @Nullable
  HttpResponse<?> check(HttpRequest<?> request) {
    if (SAFE.contains(request.getMethod()) || request.getPath().startsWith("/console")
        || !SessionCookieTokenReader.cookieOnly(request)) {
      return null;
    }
    String token = SessionCookieTokenReader.token(request).orElseThrow();
    if (csrfTokens.matches(token, request.getHeaders().get(CsrfTokens.HEADER))) {
      return null;
    }
    return HttpResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(new ErrorBody("CSRF_TOKEN_INVALID", "A request authenticated by the console's session cookie must"
            + " carry the session's CSRF token in the " + CsrfTokens.HEADER + " header"));
  }

  /** Before the security filter, so a forged request is refused whatever it asks for. */
  @Override
  public int getOrder() {
    return ServerFilterPhase.SECURITY.before();
  }
}
