package io.hookline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The layering every Hookline service keeps, as ArchUnit rules over package names, so that they
 * can be checked against the production classes and, to show that each rule can fail, against a
 * few deliberately wrong classes.
 *
 * <p>Package conventions: a service's domain lives in {@code ..domain..}; inbound adapters in
 * {@code ..adapter.in..} (the query API, organised by feature, names them {@code http} and
 * {@code graphql}); outbound adapters in {@code ..adapter.out..} (in the query API {@code kafka},
 * {@code streams} and {@code peer}).
 */
final class HooklineRules {

  static final String[] SERVICES = {"io.hookline.dispatcher", "io.hookline.retryscheduler", "io.hookline.queryapi"};

  static final String[] INBOUND = {"..adapter.in..", "io.hookline.queryapi..http..", "io.hookline.queryapi..graphql.."};

  static final String[] OUTBOUND = {
      "..adapter.out..", "io.hookline.queryapi..kafka..", "io.hookline.queryapi..streams..", "io.hookline.queryapi..peer.."};

  /** What a domain may not know: the broker, the wire format, the framework, the adapters. */
  static final String[] NOT_FOR_THE_DOMAIN = concat(
      new String[] {"org.apache.kafka..", "org.apache.avro..", "io.hookline.avro..", "io.micronaut.."},
      INBOUND, OUTBOUND);

  private HooklineRules() {}

  /** No service imports another: they meet only in the contract (schemas) and the runtime library. */
  static ArchRule servicesStayApart(String... services) {
    CompositeArchRule rules = null;
    for (String service : services) {
      for (String other : services) {
        if (!service.equals(other)) {
          ArchRule rule = noClasses().that().resideInAPackage(service + "..")
              .should().dependOnClassesThat().resideInAPackage(other + "..")
              .because("services meet only in the contract and the runtime library")
              .allowEmptyShould(true);
          rules = rules == null ? CompositeArchRule.of(rule) : rules.and(rule);
        }
      }
    }
    return rules;
  }

  /** A domain speaks webhooks: no Kafka, Avro, Micronaut or adapter types. */
  static ArchRule domainsKnowNoWireFormat() {
    return noClasses().that().resideInAPackage("..domain..")
        .should().dependOnClassesThat().resideInAnyPackage(NOT_FOR_THE_DOMAIN)
        .because("the domain is plain Java; adapters map it to and from Kafka, Avro and HTTP")
        .allowEmptyShould(true);
  }

  /** Inbound adapters hand over to the application; they never reach for an outbound adapter. */
  static ArchRule inboundAdaptersDoNotUseOutboundOnes() {
    return noClasses().that().resideInAnyPackage(INBOUND)
        .should().dependOnClassesThat().resideInAnyPackage(OUTBOUND)
        .because("inbound adapters delegate to application services, which own the outbound ports")
        .allowEmptyShould(true);
  }

  private static String[] concat(String[]... parts) {
    List<String> all = new ArrayList<>();
    for (String[] part : parts) {
      all.addAll(List.of(part));
    }
    return all.toArray(String[]::new);
  }
}
