package io.hookline.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.hookline.architecture.fixture.servicea.adapter.in.LeakyListener;
import io.hookline.architecture.fixture.servicea.domain.LeakyDomain;
import io.hookline.architecture.fixture.serviceb.Neighbour;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production classes of every module keep Hookline's layering, and each rule fails on a class
 * that breaks it (the fixture package), so a rule that silently matches nothing cannot pass.
 */
class ArchitectureTest {

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.hookline");
  }

  @Test
  void theRulesSeeEveryService() {
    for (String service : HooklineRules.SERVICES) {
      assertThat(production.stream().filter(c -> c.getPackageName().startsWith(service + ".")).count())
          .as(service).isGreaterThan(5);
    }
    assertThat(production.stream().filter(c -> c.getPackageName().contains(".domain")).count()).isGreaterThan(5);
  }

  @Test
  void servicesDoNotImportEachOther() {
    HooklineRules.servicesStayApart(HooklineRules.SERVICES).check(production);
  }

  @Test
  void domainsImportNoKafkaAvroMicronautOrAdapter() {
    HooklineRules.domainsKnowNoWireFormat().check(production);
  }

  @Test
  void inboundAdaptersDoNotImportOutboundOnes() {
    HooklineRules.inboundAdaptersDoNotUseOutboundOnes().check(production);
  }

  @Test
  void eachRuleFailsOnAClassThatBreaksIt() {
    JavaClasses wrong = new ClassFileImporter().importPackages("io.hookline.architecture.fixture");

    assertThatThrownBy(() -> HooklineRules.servicesStayApart(
        "io.hookline.architecture.fixture.servicea", "io.hookline.architecture.fixture.serviceb").check(wrong))
        .isInstanceOf(AssertionError.class).hasMessageContaining(Neighbour.class.getSimpleName());
    assertThatThrownBy(() -> HooklineRules.domainsKnowNoWireFormat().check(wrong))
        .isInstanceOf(AssertionError.class).hasMessageContaining(LeakyDomain.class.getSimpleName())
        .hasMessageContaining("org.apache.kafka");
    assertThatThrownBy(() -> HooklineRules.inboundAdaptersDoNotUseOutboundOnes().check(wrong))
        .isInstanceOf(AssertionError.class).hasMessageContaining(LeakyListener.class.getSimpleName());
  }
}
