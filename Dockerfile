# syntax=docker/dockerfile:1
# One image for every Hookline service. docker-compose.yml picks the service with its command:
#   command: ["<module>", "<main class>"], e.g. ["dispatcher", "io.hookline.dispatcher.DispatcherApplication"]
# Each service gets its own classpath (/app/<module>/lib): Micronaut loads every bean definition
# and application.yml on its classpath, so the services must not share one.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -Dmaven.test.skip=true package \
 && for module in dispatcher retry-scheduler query-api; do \
      mkdir -p "/app/$module/lib" \
      && cp "$module"/target/hookline-"$module"-*.jar "/app/$module/lib/" \
      && tr ':' '\n' < "$module/target/runtime-classpath.txt" | xargs -r -I{} cp {} "/app/$module/lib/"; \
    done

FROM eclipse-temurin:17-jre
RUN groupadd --system hookline && useradd --system --gid hookline --home-dir /app hookline
COPY --from=build /app /app
COPY <<'SCRIPT' /app/hookline
#!/bin/sh
# Usage: hookline <module> <main class> [arguments...]
set -eu
module="$1"; main_class="$2"; shift 2
exec java ${JAVA_OPTS:--XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError} -cp "/app/$module/lib/*" "$main_class" "$@"
SCRIPT
RUN chmod 0755 /app/hookline
USER hookline
WORKDIR /app
ENTRYPOINT ["/app/hookline"]
