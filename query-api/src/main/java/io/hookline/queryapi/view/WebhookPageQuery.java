package io.hookline.queryapi.view;

/**
 * A question for one page of one webhook's entries in a view. The webhook decides which instance
 * holds the answer; the rest of the question (its filters) is the view's.
 */
public interface WebhookPageQuery {

  String webhookId();

  /** The most entries on the page. */
  int limit();

  /** Where the page starts: an offset, or a position a previous page gave. */
  PageStart start();
}
