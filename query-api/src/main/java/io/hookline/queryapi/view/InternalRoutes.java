package io.hookline.queryapi.view;

/**
 * Where query-api instances ask each other for the part of a view they hold. A request under
 * {@link #PREFIX} is a forwarded one: it is answered from the instance's own copy or not at all,
 * never forwarded again.
 */
public final class InternalRoutes {

  public static final String PREFIX = "/internal/v1/";

  private InternalRoutes() {}
}
