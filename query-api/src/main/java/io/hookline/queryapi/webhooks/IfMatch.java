package io.hookline.queryapi.webhooks;

import java.util.Set;

/**
 * The revisions a conditional change may be applied to (an HTTP {@code If-Match}): the change is
 * refused with {@link RevisionMismatchException} unless the webhook's latest revision is one of them.
 *
 * @param any {@code If-Match: *}: any existing version
 */
public record IfMatch(Set<Long> revisions, boolean any) {

  private static final IfMatch NONE = new IfMatch(Set.of(), true);

  public IfMatch {
    revisions = Set.copyOf(revisions);
  }

  /** No precondition: the change applies to whatever version is the latest. */
  public static IfMatch none() {
    return NONE;
  }

  public static IfMatch revisions(Set<Long> revisions) {
    return new IfMatch(revisions, false);
  }

  public boolean matches(long revision) {
    return any || revisions.contains(revision);
  }
}
