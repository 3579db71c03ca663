package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageStart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Pages through one key range of a store (one webhook's entries in a time range) in either order,
 * by offset or by position. A position is what follows the webhook's key prefix in a store key, so
 * it sorts like the list and stays valid when entries are added or removed: a page that starts
 * after a position ({@link PageStart.After}) begins with the first entry past it, whatever was
 * written before it in the meantime. Each page costs one range scan that stops once the page and
 * one more entry (to know whether there is a next page) are found; counting the total is a second
 * scan over the whole range, done only when asked.
 */
public final class KeysetScan<V> {

  private final ReadOnlyKeyValueStore<Bytes, V> store;
  private final Bytes low;
  private final Bytes high;
  private final byte[] prefix;
  private final boolean ascending;
  private final Predicate<V> matches;

  /**
   * A scan of {@code [low, high]} (inclusive, low and high starting with the same {@code prefixLength}
   * bytes), listing entries in ascending key order when {@code ascending}, and only those that
   * {@code matches}.
   */
  KeysetScan(ReadOnlyKeyValueStore<Bytes, V> store, Bytes low, Bytes high, int prefixLength, boolean ascending,
      Predicate<V> matches) {
    this.store = store;
    this.low = low;
    this.high = high;
    this.prefix = Arrays.copyOf(low.get(), prefixLength);
    this.ascending = ascending;
    this.matches = matches;
  }

  /**
   * A scan of one webhook's entries whose time (in the key, see {@link WebhookTimeKeys}) is in
   * {@code [oldest, newest]}, oldest first when {@code oldestFirst}, listing only those that
   * {@code matches}.
   */
  public static <V> KeysetScan<V> ofWebhook(ReadOnlyKeyValueStore<Bytes, V> store, String webhookId, long oldest,
      long newest, boolean oldestFirst, Predicate<V> matches) {
    return new KeysetScan<>(store, WebhookTimeKeys.lowerBound(webhookId, newest),
        WebhookTimeKeys.upperBound(webhookId, oldest), WebhookTimeKeys.webhookPrefixLength(webhookId), !oldestFirst,
        matches);
  }

  public Page<V> page(int limit, PageStart start, boolean countTotal) {
    OptionalLong total = countTotal ? OptionalLong.of(count()) : OptionalLong.empty();
    if (start instanceof PageStart.Before before) {
      return backward(limit, key(before.position()), total);
    }
    if (start instanceof PageStart.After after) {
      return forward(limit, key(after.position()), 0, total);
    }
    return forward(limit, null, ((PageStart.Offset) start).skipped(), total);
  }

  private long count() {
    long count = 0;
    if (low.compareTo(high) > 0) {
      return count;
    }
    try (KeyValueIterator<Bytes, V> all = store.range(low, high)) {
      while (all.hasNext()) {
        if (matches.test(all.next().value)) {
          count++;
        }
      }
    }
    return count;
  }

  /** The page in the list's order, after {@code after} (when not null) and {@code skip} matches. */
  private Page<V> forward(int limit, Bytes after, long skip, OptionalLong total) {
    Collected<V> page = collect(ascending, after, skip, limit);
    Optional<PageStart> next = page.more ? Optional.of(new PageStart.After(position(page.lastKey))) : Optional.empty();
    Optional<PageStart> previous;
    if (after != null) {
      previous = Optional.of(new PageStart.Before(position(page.firstKey != null ? page.firstKey : after)));
    } else {
      previous = skip > 0 && page.firstKey != null
          ? Optional.of(new PageStart.Before(position(page.firstKey))) : Optional.empty();
    }
    return new Page<>(page.items, next, previous, total);
  }

  /** The {@code limit} entries just before {@code before} in the list's order, in the list's order. */
  private Page<V> backward(int limit, Bytes before, OptionalLong total) {
    Collected<V> page = collect(!ascending, before, 0, limit);
    Collections.reverse(page.items);
    // Read backwards: the last entry read is the first of the page.
    Optional<PageStart> previous = page.more
        ? Optional.of(new PageStart.Before(position(page.lastKey))) : Optional.empty();
    Optional<PageStart> next = Optional.of(new PageStart.After(position(page.firstKey != null ? page.firstKey : before)));
    return new Page<>(page.items, next, previous, total);
  }

  /** Up to {@code limit} matches in key order ({@code up}) past {@code from} (exclusive, or the range's end). */
  private Collected<V> collect(boolean up, Bytes from, long skip, int limit) {
    Collected<V> page = new Collected<>();
    Bytes start = up ? max(low, from) : low;
    Bytes end = up ? high : min(high, from);
    if (start.compareTo(end) > 0) {
      return page;
    }
    long toSkip = skip;
    try (KeyValueIterator<Bytes, V> range = up ? store.range(start, end) : store.reverseRange(start, end)) {
      while (range.hasNext()) {
        KeyValue<Bytes, V> entry = range.next();
        if (entry.key.equals(from) || !matches.test(entry.value)) {
          continue;
        }
        if (toSkip > 0) {
          toSkip--;
          continue;
        }
        if (page.items.size() == limit) {
          page.more = true;
          break;
        }
        page.items.add(entry.value);
        if (page.firstKey == null) {
          page.firstKey = entry.key;
        }
        page.lastKey = entry.key;
      }
    }
    return page;
  }

  private Bytes key(byte[] position) {
    byte[] key = Arrays.copyOf(prefix, prefix.length + position.length);
    System.arraycopy(position, 0, key, prefix.length, position.length);
    return Bytes.wrap(key);
  }

  private byte[] position(Bytes key) {
    return Arrays.copyOfRange(key.get(), prefix.length, key.get().length);
  }

  private static Bytes max(Bytes a, Bytes b) {
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }

  private static Bytes min(Bytes a, Bytes b) {
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }

  private static final class Collected<V> {
    final List<V> items = new ArrayList<>();
    Bytes firstKey;
    Bytes lastKey;
    boolean more;
  }
}
