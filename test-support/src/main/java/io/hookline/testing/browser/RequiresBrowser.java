package io.hookline.testing.browser;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class drives a real browser ({@link Browser}): without one, outside CI, its tests are
 * reported skipped before anything (broker, services) is started; with {@code CI=true} they run and
 * fail, because CI must have the browser.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BrowserInstallation.Condition.class)
public @interface RequiresBrowser {}
