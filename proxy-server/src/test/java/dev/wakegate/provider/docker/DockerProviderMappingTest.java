package dev.wakegate.provider.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadInfo.Health;
import dev.wakegate.provider.WorkloadInfo.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine-to-lifecycle mapping, without an engine. */
class DockerProviderMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();


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

    /** Empty "expected": the lifecycle does not follow it, so it is dropped. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            create          | -       | CREATE
            start           | -       | START
            die             | -       | DIE
            stop            | -       | STOP
            pause           | -       | PAUSE
            unpause         | -       | UNPAUSE
            destroy         | -       | DESTROY
            exec_create: sh | -       | -
            attach          | -       | -
            kill            | 15      | KILL
            kill            | 9       | KILL
            kill            | SIGKILL | KILL
            kill            | -       | KILL
            kill            | 1       | -
            kill            | SIGHUP  | -
            """)
    void followedActionsMapAndOthersAreDropped(String action, String signal, WorkloadEvent.Type expected) {
        // a deadly signal (docker stop's TERM, KILL; or none said) takes the container out; a HUP to reload it does not
        WorkloadEvent e = ContainerInfos.fromEvent(event(action, signal == null ? Map.of() : Map.of("signal", signal)));
        assertThat(e == null ? null : e.type()).isEqualTo(expected);
    }

    @Test
    void healthcheckNoneDisablesTheImagesHealthcheck() throws Exception {
        assertThat(ContainerInfos.definesHealthcheck(MissingNode.getInstance())).isFalse();
        assertThat(ContainerInfos.definesHealthcheck(JSON.readTree("null"))).isFalse();
        assertThat(ContainerInfos.definesHealthcheck(JSON.readTree("{\"Test\":[\"NONE\"]}"))).isFalse();
        assertThat(ContainerInfos.definesHealthcheck(JSON.readTree("{}"))).isFalse();
        assertThat(ContainerInfos.definesHealthcheck(JSON.readTree("{\"Test\":[\"CMD-SHELL\",\"true\"]}"))).isTrue();
    }

    /** The shape engine 20.10 (API 1.41) answers {@code GET /containers/{id}/json} with, cut to what is read. */
    @Test
    void inspectJsonMapsNameStateHealthExitCodeAndLabels() throws Exception {
        WorkloadInfo info = ContainerInfos.fromInspect(JSON.readTree("""
                {"Id":"4f1c","Name":"/shop-web-1",
                 "State":{"Status":"exited","Running":false,"Paused":false,"ExitCode":137,"Error":"oom",
                          "Health":{"Status":"unhealthy","FailingStreak":3,"Log":[]}},
                 "Config":{"Labels":{"com.docker.compose.service":"web","wakegate.enable":"true"},
                           "Healthcheck":{"Test":["CMD","true"]}},
                 "HostConfig":{"NetworkMode":"host"}}"""));
        assertThat(info.id()).isEqualTo("4f1c");
        assertThat(info.name()).isEqualTo("shop-web-1");
        assertThat(info.service()).isEqualTo("web");
        assertThat(info.status()).isEqualTo(Status.EXITED);
        assertThat(info.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(info.hasHealthcheck()).isTrue();
        assertThat(info.exitCode()).isEqualTo(137);
        assertThat(info.error()).isEqualTo("oom");
        assertThat(info.labels()).containsEntry("wakegate.enable", "true").hasSize(2);
        assertThat(ContainerInfos.paused(JSON.readTree("{\"State\":{\"Paused\":true}}"))).isTrue();
    }

    @Test
    void inspectJsonWithoutHealthOrLabelsMapsToNone() throws Exception {
        WorkloadInfo info = ContainerInfos.fromInspect(JSON.readTree("""
                {"Id":"9a","Name":"/plain","State":{"Status":"running","ExitCode":0,"Error":"","Paused":false},
                 "Config":{"Labels":null,"Healthcheck":null}}"""));
        assertThat(info.status()).isEqualTo(Status.RUNNING);
        assertThat(info.health()).isEqualTo(Health.NONE);
        assertThat(info.hasHealthcheck()).isFalse();
        assertThat(info.error()).isNull();
        assertThat(info.service()).isNull();
        assertThat(info.labels()).isEmpty();
        assertThat(ContainerInfos.paused(JSON.readTree("{\"State\":{\"Paused\":false}}"))).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", value = {
            "running, RUNNING", "exited, EXITED", "created, CREATED", "dead, DEAD", "restarting, RESTARTING",
            "paused, PAUSED", "removing, REMOVING", "Running, RUNNING", "-, MISSING", "something-new, MISSING"})
    void engineStatusesMap(String engineStatus, Status expected) {
        assertThat(ContainerInfos.status(engineStatus)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", value = {
            "starting, STARTING", "healthy, HEALTHY", "unhealthy, UNHEALTHY", "' healthy', HEALTHY", "-, NONE",
            "none, NONE"})
    void engineHealthsMap(String engineHealth, Health expected) {
        assertThat(ContainerInfos.health(engineHealth)).isEqualTo(expected);
    }

    @Test
    void engineMessageIsTakenFromTheJsonBody() {
        DockerException e = new DockerException("{\"message\":\"driver failed programming external connectivity\"}", 500);
        assertThat(EngineCalls.engineMessage(e)).isEqualTo("driver failed programming external connectivity");
    }
}
