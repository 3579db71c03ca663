package io.hookline.bench;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A second baseline for page queries: the same query mix answered by the instance's
 * {@code FailedExecutionsView} bean directly, in-process (store range scan and Avro decoding, no
 * HTTP, no JSON, no auth), so the HTTP figures can be split into "the store" and "the rest".
 * Reached through reflection, since the query-api lives in its own class loader.
 */
final class DirectScans {

  private final Object view;
  private final Method page;
  private final Method items;
  private final Constructor<?> query;

  private DirectScans(Object view, Method page, Method items, Constructor<?> query) {
    this.view = view;
    this.page = page;
    this.items = items;
    this.query = query;
  }

  static DirectScans of(QueryApiInstance instance) throws ReflectiveOperationException {
    Class<?> viewType = instance.loadClass("io.hookline.queryapi.failedexecutions.FailedExecutionsView");
    Class<?> queryType = instance.loadClass("io.hookline.queryapi.failedexecutions.FailedExecutionQuery");
    Class<?> pageType = instance.loadClass("io.hookline.queryapi.view.Page");
    return new DirectScans(instance.bean(viewType), viewType.getMethod("page", queryType), pageType.getMethod("items"),
        queryType.getConstructor(String.class, long.class, long.class, Set.class, int.class, int.class));
  }

  /** Runs {@code count} queries of the mix on one thread; throws if a page that must hold data is empty. */
  LatencySummary run(FailedExecutionsSettings settings, List<Integer> webhooks, long now, int count, long seed)
      throws ReflectiveOperationException {
    SplittableRandom random = new SplittableRandom(seed);
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      int w = webhooks.get(random.nextInt(webhooks.size()));
      PageQueries.PageQuery q = PageQueries.randomQuery(settings, now, random);
      Object request = query.newInstance(FailedExecutionsLoad.webhookId(w), q.from(), q.to(),
          new LinkedHashSet<>(q.events()), 50, q.pageno());
      long start = System.nanoTime();
      List<?> found;
      try {
        found = (List<?>) items.invoke(page.invoke(view, request));
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("direct page query failed: " + e.getCause(), e.getCause());
      }
      nanos[i] = System.nanoTime() - start;
      if (found.isEmpty() && q.mustHaveData(settings, w)) {
        throw new IllegalStateException("direct page query of webhook " + w + " " + q.queryString() + " was empty");
      }
    }
    return LatencySummary.of("direct store scan", nanos);
  }
}
