package io.hookline.queryapi.console.http;

import io.hookline.queryapi.attempts.AttemptLog;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.auth.http.RequiresScope;
import io.hookline.queryapi.auth.http.WebhookScope;
import io.hookline.queryapi.console.PrettyJson;
import io.hookline.queryapi.failedexecutions.FailedExecutionsView;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.replay.ExecutionNotFoundException;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.webhooks.WebhookService;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /console/{portal}/webhooks/{id}/executions/{executionId}}: one failed execution, the
 * evidence and the one action. Its attempts come from the attempt log filtered to this execution and
 * its time span (first to last execution), oldest first, at most {@value #MAX_ATTEMPTS}; its payload
 * is shown indented and escaped. An execution that is no longer failing (delivered, or past the
 * retention) is a 404 page that says so.
 */
@Hidden
@Controller("/console/{screenname}/webhooks/{id}/executions/{executionId}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExecutionPageController {

  static final int MAX_ATTEMPTS = 100;

  private final ConsolePages pages;
  private final WebhookService webhooks;
  private final FailedExecutionsView failures;
  private final AttemptLog attempts;

  public ExecutionPageController(ConsolePages pages, WebhookService webhooks, FailedExecutionsView failures,
      AttemptLog attempts) {
    this.pages = pages;
    this.webhooks = webhooks;
    this.failures = failures;
    this.attempts = attempts;
  }

  @Get
  @RequiresScope(WebhookScope.READ)
  @Produces(MediaType.TEXT_HTML)
  MutableHttpResponse<String> execution(@PathVariable String screenname, @PathVariable String id,
      @PathVariable String executionId, HttpRequest<?> request) {
    return pages.answer(request, ConsoleLinks.webhook(screenname, id), () -> {
      Webhook webhook = webhooks.get(screenname, id);
      FailedExecution failed = failures.find(id, executionId)
          .orElseThrow(() -> new ExecutionNotFoundException(id, executionId));
      AttemptQuery query = new AttemptQuery(id, failed.firstExecutionTime(), failed.lastExecutionTime(), Set.of(),
          Set.of(failed.event().name()), true, MAX_ATTEMPTS, PageStart.offset(0), executionId);
      List<Attempt> made = attempts.page(query).items().stream()
          .filter(a -> a.executionId().equals(executionId))
          .toList();
      Map<String, Object> model = new HashMap<>();
      model.put("portal", screenname);
      model.put("webhook", webhook);
      model.put("failed", failed);
      model.put("attempts", made);
      model.put("payload", PrettyJson.of(failed.event().payload()));
      model.put("webhookHref", ConsoleLinks.webhook(screenname, id));
      model.put("self", ConsoleLinks.execution(screenname, id, executionId));
      return pages.page(request, "execution", "Execution " + executionId, model);
    });
  }
}
