package io.hookline.queryapi.webhooks.http;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.webhooks.IfMatch;
import io.hookline.queryapi.webhooks.domain.Webhook;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook's entity tag and the {@code If-Match} header (RFC 9110 section 13.1.1). The tag is
 * strong and is the webhook's revision, quoted ({@code "7"}): it changes with every stored change,
 * whoever made it (an API call on any instance, or the dispatcher disabling the webhook). If-Match
 * compares strongly, so a weak tag ({@code W/"7"}) never matches; {@code *} matches any existing
 * webhook. A header that is not a list of entity tags is a 400 naming {@code If-Match}.
 */
final class EntityTags {

  static final String IF_MATCH = "If-Match";

  private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7e\\x80-\\xff]*)\"\\s*");
  private static final Pattern REVISION = Pattern.compile("[0-9]{1,18}");

  private EntityTags() {}

  static String of(Webhook webhook) {
    return "\"" + webhook.revision() + "\"";
  }

  /** The precondition of the request's If-Match headers (all of them, as one list); none when absent. */
  static IfMatch ifMatch(List<String> headers) {
    if (headers.isEmpty()) {
      return IfMatch.none();
    }
    String value = String.join(",", headers).trim();
    if (value.equals("*")) {
      return new IfMatch(Set.of(), true);
    }
    Set<Long> revisions = new HashSet<>();
    for (String member : value.split(",", -1)) {
      Matcher tag = TAG.matcher(member);
      if (!tag.matches()) {
        throw new InvalidFieldException(IF_MATCH, "'If-Match' must be * or a list of entity tags such as \"7\""
            + " (the ETag of a GET), not " + abbreviated(value));
      }
      if (tag.group(1) == null && REVISION.matcher(tag.group(2)).matches()) {
        revisions.add(Long.parseLong(tag.group(2)));
      }
    }
    return IfMatch.revisions(revisions);
  }

  private static String abbreviated(String value) {
    return value.length() <= 40 ? "'" + value + "'" : "'" + value.substring(0, 40) + "...'";
  }
}
