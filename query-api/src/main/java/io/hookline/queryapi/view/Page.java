package io.hookline.queryapi.view;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One page of a list: its entries in the list's order, where the next and the previous page start
 * (empty when there is none), and how many entries match the whole query when it was counted.
 */
public record Page<T>(List<T> items, Optional<PageStart> next, Optional<PageStart> previous, OptionalLong total) {

  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(total, "total");
  }

  /** The same page with each entry as {@code mapping} makes it. */
  public <U> Page<U> map(Function<? super T, ? extends U> mapping) {
    return new Page<>(items.stream().<U>map(mapping).toList(), next, previous, total);
  }

  public static <T> Page<T> empty(OptionalLong total) {
    return new Page<>(List.of(), Optional.empty(), Optional.empty(), total);
  }
}
