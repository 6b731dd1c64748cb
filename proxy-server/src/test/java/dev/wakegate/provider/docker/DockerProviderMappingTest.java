package dev.wakegate.provider.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.DockerException;
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


    private static JsonNode event(String action, Map<String, String> attributes) {
        ObjectNode e = JSON.createObjectNode().put("Type", "container").put("Action", action).put("id", "abc")
                .put("timeNano", 1_700_000_000_123_456_789L);
        ObjectNode actor = e.putObject("Actor").put("ID", "abc");
        attributes.forEach(actor.putObject("Attributes")::put);
        return e;
    }

    /** One object of {@code GET /events} as engine 20.10 (API 1.41) streams it, for container {@code name}. */
    private static JsonNode engineEvent(String action, String moreAttributes) throws Exception {
        return JSON.readTree("""
                {"status":"%1$s","id":"9db47a211d51","from":"wakegate/busybox:1","Type":"container","Action":"%1$s",
                 "Actor":{"ID":"9db47a211d51","Attributes":{"com.docker.compose.service":"web",%2$s
                   "image":"wakegate/busybox:1","name":"shop-web-1","wakegate.enable":"true"}},
                 "scope":"local","time":1795972881,"timeNano":1795972881929329941}""".formatted(action, moreAttributes));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            create                 | -                     | CREATE        | -
            start                  | -                     | START         | -
            kill                   | "signal":"15",        | KILL          | -
            kill                   | "signal":"1",         | -             | -
            die                    | "exitCode":"143",     | DIE           | -
            stop                   | -                     | STOP          | -
            pause                  | -                     | PAUSE         | -
            unpause                | -                     | UNPAUSE       | -
            health_status: healthy | -                     | HEALTH_STATUS | HEALTHY
            destroy                | -                     | DESTROY       | -
            """)
    void engineEventObjectsMapToTheContainersEvents(String action, String moreAttributes, WorkloadEvent.Type expected,
                                                     Health health) throws Exception {
        WorkloadEvent e = ContainerInfos.fromEvent(engineEvent(action, moreAttributes == null ? "" : moreAttributes));
        if (expected == null) {
            assertThat(e).isNull(); // a HUP to reload it is no kill the lifecycle follows
            return;
        }
        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.id()).isEqualTo("9db47a211d51");
        assertThat(e.name()).isEqualTo("shop-web-1");
        assertThat(e.service()).isEqualTo("web");
        assertThat(e.health()).isEqualTo(health);
        assertThat(e.timeMillis()).isEqualTo(1_795_972_881_929L);
        // the container's labels, without the event's own fields (name, image, exitCode, signal)
        assertThat(e.labels()).containsOnly(Map.entry("com.docker.compose.service", "web"), Map.entry("wakegate.enable", "true"));
    }

    @Test
    void olderEventShapesFallBackToStatusIdAndSeconds() throws Exception {
        WorkloadEvent e = ContainerInfos.fromEvent(JSON.readTree("""
                {"status":"die","id":"4f1c","from":"x","time":1700000000}"""));
        assertThat(e.type()).isEqualTo(WorkloadEvent.Type.DIE);
        assertThat(e.id()).isEqualTo("4f1c");
        assertThat(e.name()).isNull();
        assertThat(e.labels()).isEmpty();
        assertThat(e.timeMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(ContainerInfos.fromEvent(JSON.readTree("{\"Type\":\"container\"}"))).isNull();
    }

    @Test
    void eventAttributesThatAreNoStringsAreReadAsJacksonWouldBindThem() throws Exception {
        WorkloadEvent e = ContainerInfos.fromEvent(JSON.readTree("""
                {"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":
                  {"name":"web","replicas":3,"flag":true,"gone":null,"nested":{"a":"b"}}}}"""));
        assertThat(e.labels()).containsOnly(Map.entry("replicas", "3"), Map.entry("flag", "true"));
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
