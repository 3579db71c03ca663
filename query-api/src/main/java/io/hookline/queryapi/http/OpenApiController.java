package io.hookline.queryapi.http;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.yml}: the OpenAPI 3 document of the REST API, generated at compile time from
 * the controllers by the micronaut-openapi annotation processor (every {@code @Controller} is in it
 * without registration; this class holds the document-wide parts: title, bearer scheme, default
 * security). Served without a token: it describes the API's shape, holds no tenant data, and tools
 * (Swagger UI, client generators) fetch it before they have a token.
 */
@OpenAPIDefinition(
    info = @Info(
        title = OpenApiController.TITLE,
        version = OpenApiController.VERSION,
        description = "Hookline's REST API: webhooks of a portal and their failed executions, in the shape of the"
            + " Zoho SalesIQ webhooks API. Every endpoint except /health needs a bearer token (JWT) with the scope the"
            + " endpoint names (webhooks.READ, webhooks.CREATE, webhooks.UPDATE, webhooks.DELETE) and a 'portal'"
            + " claim equal to the path's {screenname} (or a list holding it). Errors are JSON {code, message}: 400"
            + " INVALID_PARAMETER / INVALID_JSON naming the parameter, 401 UNAUTHORIZED, 403 FORBIDDEN, 404"
            + " WEBHOOK_NOT_FOUND, 503 SERVICE_UNAVAILABLE with Retry-After. GraphQL (undeliveredNotifications) is"
            + " served at POST /graphql with the same tokens.",
        license = @License(name = "Apache-2.0")),
    security = @SecurityRequirement(name = OpenApiController.BEARER))
@SecurityScheme(
    name = OpenApiController.BEARER,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT",
    description = "A JWT signed with HOOKLINE_JWT_SECRET (HS256) or by the OAuth server at HOOKLINE_JWT_JWKS_URL,"
        + " with exp, sub, scope (space-separated) and portal claims.")
@Controller("/openapi.yml")
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
public class OpenApiController {

  static final String TITLE = "Hookline API";
  static final String VERSION = "v2";
  static final String BEARER = "bearer";
  /** Where the processor writes the document: {@code <title, lower case, dashed>-<version>.yml}. */
  static final String DOCUMENT = "classpath:META-INF/swagger/hookline-api-" + VERSION + ".yml";

  private final String document;

  public OpenApiController(ResourceResolver resources) {
    try (InputStream in = resources.getResourceAsStream(DOCUMENT)
        .orElseThrow(() -> new IllegalStateException("The build did not generate " + DOCUMENT))) {
      this.document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Get(produces = "application/yaml")
  HttpResponse<String> document() {
    return HttpResponse.ok(document);
  }
}
