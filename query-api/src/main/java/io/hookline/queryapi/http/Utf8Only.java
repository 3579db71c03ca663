package io.hookline.queryapi.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Locale;
import java.util.Set;

/**
 * The API reads UTF-8 only (JSON is UTF-8 by RFC 8259; the console's forms are sent in the page's
 * UTF-8). A request whose {@code Content-Type} declares another charset is refused with 415 naming
 * the header, before anything reads it: Micronaut would decode the body, and even the query string,
 * with that charset, and fail (a 500 for an unknown charset) or read garbled values.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class Utf8Only {

  private static final Set<String> ACCEPTED = Set.of("utf-8", "utf8", "us-ascii");

  @RequestFilter
  @Nullable
  public HttpResponse<ErrorBody> refuseOtherCharsets(HttpRequest<?> request) {
    String type = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
    if (type == null) {
      return null;
    }
    for (String parameter : type.split(";")) {
      String[] pair = parameter.split("=", 2);
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
        String charset = pair[1].trim().replace("\"", "");
        if (!ACCEPTED.contains(charset.toLowerCase(Locale.ROOT))) {
          String shown = charset.length() > 40 ? charset.substring(0, 40) + "..." : charset;
          return HttpResponse.<ErrorBody>status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(new ErrorBody(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE.name(), "'Content-Type' declares charset '" + shown
                  + "'; this API reads UTF-8 only"));
        }
      }
    }
    return null;
  }
}
