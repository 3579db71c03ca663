package io.hookline.queryapi.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.view.PageStart;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The cursors and links of a list page: {@code next_cursor} / {@code previous_cursor} (opaque, see
 * {@link PageCursors}) and {@code next} / {@code previous}, the request's own path and query with
 * its page parameters ({@code cursor}, {@code offset}, {@code pageno}) replaced by the cursor. Links
 * are relative to the API's origin (path and query, like the list's {@code url}), so they stay right
 * behind proxies; null when there is no such page. Following {@code next} links from any page walks
 * the rest of the list once, even while new entries arrive.
 */
public record PageLinks(String nextCursor, String previousCursor, String next, String previous) {

  private static final Set<String> PAGE_PARAMETERS = Set.of("cursor", "offset", "pageno");

  public static PageLinks of(URI request, Page<?> page, PageCursors cursors, String binding) {
    String nextCursor = cursor(page.next(), cursors, binding);
    String previousCursor = cursor(page.previous(), cursors, binding);
    return new PageLinks(nextCursor, previousCursor, link(request, nextCursor), link(request, previousCursor));
  }

  /**
   * The JSON of a list page: {@code list} made for the request's path and query (its {@code url}),
   * with the page's cursors and links added after its fields.
   */
  public static ObjectNode answer(URI request, Page<?> page, PageCursors cursors, String binding,
      Function<String, ObjectNode> list) {
    return of(request, page, cursors, binding).addTo(list.apply(requestTarget(request)));
  }

  /** Adds {@code next_cursor}, {@code previous_cursor}, {@code next} and {@code previous} to {@code list}. */
  public ObjectNode addTo(ObjectNode list) {
    list.put("next_cursor", nextCursor);
    list.put("previous_cursor", previousCursor);
    list.put("next", next);
    list.put("previous", previous);
    return list;
  }

  /** The request's path and query exactly as sent, the list's {@code url}. */
  public static String requestTarget(URI uri) {
    return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
  }

  private static String cursor(Optional<PageStart> start, PageCursors cursors, String binding) {
    return start.map(s -> cursors.encode(s, binding)).orElse(null);
  }

  private static String link(URI request, String cursor) {
    if (cursor == null) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    if (request.getRawQuery() != null) {
      for (String pair : request.getRawQuery().split("&")) {
        String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
        if (!pair.isEmpty() && !PAGE_PARAMETERS.contains(name)) {
          kept.add(pair);
        }
      }
    }
    kept.add("cursor=" + cursor);
    return request.getRawPath() + "?" + String.join("&", kept);
  }
}
