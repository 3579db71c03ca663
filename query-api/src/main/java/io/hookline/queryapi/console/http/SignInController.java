package io.hookline.queryapi.console.http;

import io.hookline.queryapi.auth.http.SessionCookieTokenReader;
import io.hookline.queryapi.auth.http.TokenPortals;
import io.hookline.queryapi.console.ConsoleConfiguration;
import io.hookline.queryapi.console.CsrfTokens;
import io.hookline.queryapi.console.SignIn;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's entry, sign-in and sign-out. Signing in means pasting a bearer token once: it is
 * checked like every API token ({@link SignIn}) and kept in the {@code HttpOnly}, {@code SameSite=Strict}
 * session cookie ({@code Secure} over TLS or when configured), which expires with the token. From then
 * on the browser is authenticated by that cookie, by the same rules as the API. Signing out clears it.
 */
@Hidden
@Controller("/console")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
public class SignInController {

  static final String SIGN_IN = "/console/sign-in";

  private final ConsolePages pages;
  private final SignIn signIn;
  private final CsrfTokens csrfTokens;
  private final ConsoleConfiguration config;
  private final Clock clock;

  public SignInController(ConsolePages pages, SignIn signIn, CsrfTokens csrfTokens, ConsoleConfiguration config,
      Clock clock) {
    this.pages = pages;
    this.signIn = signIn;
    this.csrfTokens = csrfTokens;
    this.config = config;
    this.clock = clock;
  }

  /** The first portal of the signed-in token's, or the sign-in form. */
  @Get
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<?> entry(HttpRequest<?> request) {
    Optional<String> portal = request.getUserPrincipal(Authentication.class)
        .flatMap(auth -> TokenPortals.of(auth).stream().findFirst());
    return seeOther(portal.map(ConsoleLinks::overview).orElse(SIGN_IN));
  }

  @Get("/sign-in")
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> form(HttpRequest<?> request) {
    return signInPage(request, HttpStatus.OK, null);
  }

  @Post("/sign-in")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<?> signIn(@Body Map<String, String> form, HttpRequest<?> request) {
    if (!sameOrigin(request)) {
      return pages.message(request, HttpStatus.FORBIDDEN, "Sign-in refused",
          "A sign-in must come from this console's own sign-in form.", SIGN_IN, "Sign in");
    }
    SignIn.Outcome outcome = signIn.check(form.get("token"), request);
    if (outcome instanceof SignIn.Refused refused) {
      return signInPage(request, HttpStatus.BAD_REQUEST, refused.message());
    }
    SignIn.Accepted session = ((SignIn.Opened) outcome).session();
    long seconds = Duration.between(clock.instant(), session.expiresAt()).getSeconds();
    Cookie cookie = sessionCookie(request, session.token()).maxAge(Math.max(seconds, 0));
    return seeOther(ConsoleLinks.overview(session.portal())).cookie(cookie);
  }

  @Post("/sign-out")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<?> signOut(@Body @Nullable Map<String, String> form, HttpRequest<?> request) {
    Optional<String> token = SessionCookieTokenReader.token(request);
    String presented = form == null ? null : form.get(CsrfTokens.FIELD);
    if (token.isPresent() && !csrfTokens.matches(token.get(), presented)) {
      return pages.csrfRefused(request);
    }
    return seeOther(SIGN_IN).cookie(sessionCookie(request, "").maxAge(0));
  }

  private MutableHttpResponse<String> signInPage(HttpRequest<?> request, HttpStatus status, String error) {
    Map<String, Object> model = new HashMap<>();
    model.put("error", error);
    model.put("maxTokenLength", SignIn.MAX_TOKEN_LENGTH);
    return pages.page(request, status, "sign-in", "Sign in", model);
  }

  private Cookie sessionCookie(HttpRequest<?> request, String value) {
    return Cookie.of(SessionCookieTokenReader.COOKIE, value)
        .path("/")
        .httpOnly(true)
        .secure(config.isSecureCookie() || request.isSecure())
        .sameSite(SameSite.Strict);
  }

  /**
   * A browser names the page a form was posted from in {@code Origin}; a sign-in posted from another
   * site (which would sign the person in as somebody else) is refused. No Origin (curl) is fine.
   */
  private static boolean sameOrigin(HttpRequest<?> request) {
    String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
    if (origin == null || origin.isBlank()) {
      return true;
    }
    String host = request.getHeaders().get(HttpHeaders.HOST);
    try {
      URI uri = URI.create(origin.trim());
      String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return host != null && authority != null && authority.equalsIgnoreCase(host.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static MutableHttpResponse<String> seeOther(String location) {
    return ConsolePages.withHeaders(HttpResponse.<String>status(HttpStatus.SEE_OTHER)
        .header(HttpHeaders.LOCATION, location));
  }
}
