package dev.wakegate.provider.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.HealthCheck;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo.Health;
import dev.wakegate.provider.WorkloadInfo.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine-to-lifecycle mapping, without an engine. */
class DockerProviderMappingTest {

    private static Event event(String action, Map<String, String> attributes) {
        return new Event().withAction(action).withId("abc").withTimenano(1_700_000_000_123_456_789L)
                .withEventActor(new EventActor().withId("abc").withAttributes(attributes));
    }

    @Test
    void healthStatusEventCarriesTheNewHealth() {
        WorkloadEvent e = ContainerInfos.fromEvent(event("health_status: healthy",
                Map.of("name", "grafana", "image", "x", "com.docker.compose.service", "grafana-svc")));

        assertThat(e.type()).isEqualTo(WorkloadEvent.Type.HEALTH_STATUS);
        assertThat(e.health()).isEqualTo(Health.HEALTHY);
        assertThat(e.name()).isEqualTo("grafana");
        assertThat(e.service()).isEqualTo("grafana-svc");
        assertThat(e.labels()).containsOnlyKeys("com.docker.compose.service");
        assertThat(e.timeMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(ContainerInfos.fromEvent(event("health_status: unhealthy", Map.of())).health())
                .isEqualTo(Health.UNHEALTHY);
    }

    @Test
    void followedActionsMapAndOthersAreDropped() {
        assertThat(ContainerInfos.fromEvent(event("die", Map.of("exitCode", "3"))).type()).isEqualTo(WorkloadEvent.Type.DIE);
        assertThat(ContainerInfos.fromEvent(event("destroy", Map.of())).type()).isEqualTo(WorkloadEvent.Type.DESTROY);
        assertThat(ContainerInfos.fromEvent(event("exec_create: sh", Map.of()))).isNull();
        // a deadly signal (docker stop's TERM, KILL) takes the container out; a HUP to reload it does not
        assertThat(ContainerInfos.fromEvent(event("kill", Map.of("signal", "15"))).type()).isEqualTo(WorkloadEvent.Type.KILL);
        assertThat(ContainerInfos.fromEvent(event("kill", Map.of("signal", "9"))).type()).isEqualTo(WorkloadEvent.Type.KILL);
        assertThat(ContainerInfos.fromEvent(event("kill", Map.of("signal", "1")))).isNull();
        assertThat(ContainerInfos.fromEvent(event("kill", Map.of("signal", "SIGHUP")))).isNull();
    }

    @Test
    void healthcheckNoneDisablesTheImagesHealthcheck() {
        assertThat(ContainerInfos.definesHealthcheck(null)).isFalse();
        assertThat(ContainerInfos.definesHealthcheck(new HealthCheck().withTest(List.of("NONE")))).isFalse();
        assertThat(ContainerInfos.definesHealthcheck(new HealthCheck())).isFalse();
        assertThat(ContainerInfos.definesHealthcheck(new HealthCheck().withTest(List.of("CMD-SHELL", "true")))).isTrue();
    }

    @Test
    void engineStatusesMap() {
        assertThat(ContainerInfos.status("running")).isEqualTo(Status.RUNNING);
        assertThat(ContainerInfos.status("exited")).isEqualTo(Status.EXITED);
        assertThat(ContainerInfos.status("created")).isEqualTo(Status.CREATED);
        assertThat(ContainerInfos.status("dead")).isEqualTo(Status.DEAD);
        assertThat(ContainerInfos.health("starting")).isEqualTo(Health.STARTING);
        assertThat(ContainerInfos.health(null)).isEqualTo(Health.NONE);
    }

    @Test
    void engineMessageIsTakenFromTheJsonBody() {
        DockerException e = new DockerException("{\"message\":\"driver failed programming external connectivity\"}", 500);
        assertThat(EngineCalls.engineMessage(e)).isEqualTo("driver failed programming external connectivity");
    }
}
