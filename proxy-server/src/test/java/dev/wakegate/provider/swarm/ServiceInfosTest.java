package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadInfo.Status;
import dev.wakegate.provider.docker.EngineJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's service and task JSON as the lifecycle sees it, and the replica count a wake asks for. */
class ServiceInfosTest {

    private static ObjectNode service(int replicas, Map<String, String> labels) {
        ObjectNode s = EngineJson.JSON.createObjectNode();
        s.put("ID", "svc1");
        s.put("UpdatedAt", "2026-11-29T12:00:00.000000000Z");
        ObjectNode spec = s.putObject("Spec");
        spec.put("Name", "shop_web");
        ObjectNode l = spec.putObject("Labels");
        labels.forEach(l::put);
        spec.putObject("Mode").putObject("Replicated").put("Replicas", replicas);
        return s;
    }

    private static JsonNode task(String state, String desired, String createdAt, String err, int exit) {
        ObjectNode t = EngineJson.JSON.createObjectNode();
        t.put("ServiceID", "svc1");
        t.put("DesiredState", desired);
        t.put("CreatedAt", createdAt);
        ObjectNode status = t.putObject("Status");
        status.put("State", state);
        if (!err.isEmpty()) {
            status.put("Err", err);
        }
        status.putObject("ContainerStatus").put("ExitCode", exit);
        return t;
    }

    private static List<JsonNode> tasks(String... states) {
        List<JsonNode> out = new ArrayList<>();
        for (String s : states) {
            String[] parts = s.split("/");
            out.add(task(parts[0], parts[1], "2026-11-29T12:00:01Z", "", 0));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} replicas, tasks [{1}]: {2}")
    @CsvSource(delimiter = '|', value = {
            "0 | ''                                   | EXITED",
            "0 | running/shutdown                     | EXITED",
            "2 | ''                                   | CREATED",
            "2 | running/running                      | CREATED",
            "2 | running/running starting/running     | CREATED",
            "2 | running/running running/running      | RUNNING",
            "1 | running/running shutdown/shutdown    | RUNNING",
            "1 | running/shutdown                     | CREATED",
            "3 | running/running running/running running/running running/running | RUNNING",
    })
    void aReplicatedServiceRunsOnceEveryReplicaItAsksForRuns(int replicas, String taskStates, Status expected) {
        List<JsonNode> tasks = taskStates.isBlank() ? List.of() : tasks(taskStates.trim().split(" +"));
        WorkloadInfo info = ServiceInfos.fromService(service(replicas, Map.of("a", "b")), tasks);
        assertThat(info.status()).isEqualTo(expected);
        assertThat(info.name()).isEqualTo("shop_web");
        assertThat(info.id()).isEqualTo("svc1");
        assertThat(info.hasHealthcheck()).as("Swarm counts a task as running once healthy").isFalse();
        assertThat(info.labels()).containsEntry("a", "b");
    }

    @Test
    void aTaskThatFailedSinceTheLastUpdateMakesItDeadWithTheTasksErrorAndExitCode() {
        List<JsonNode> tasks = List.of(task("failed", "shutdown", "2026-11-29T12:00:02Z", "task: non-zero exit (3)", 3),
                task("running", "running", "2026-11-29T12:00:03Z", "", 0));
        WorkloadInfo info = ServiceInfos.fromService(service(2, Map.of()), tasks);
        assertThat(info.status()).isEqualTo(Status.DEAD);
        assertThat(info.exitCode()).isEqualTo(3);
        assertThat(info.error()).isEqualTo("task failed: task: non-zero exit (3)");

        List<JsonNode> before = List.of(task("rejected", "shutdown", "2026-11-29T11:59:00Z", "No such image", 0));
        assertThat(ServiceInfos.fromService(service(2, Map.of()), before).status())
                .as("a failure from before the last update (an earlier wake) does not count").isEqualTo(Status.CREATED);
    }

    @Test
    void aGlobalServiceRunsWhileAnyTaskRuns() {
        ObjectNode global = service(0, Map.of());
        ((ObjectNode) global.get("Spec")).putObject("Mode").putObject("Global");
        assertThat(ServiceInfos.replicated(global)).isFalse();
        assertThat(ServiceInfos.fromService(global, tasks("running/running")).status()).isEqualTo(Status.RUNNING);
        assertThat(ServiceInfos.fromService(global, List.of()).status()).isEqualTo(Status.CREATED);
    }

    @ParameterizedTest(name = "configured {0}, current {1}, remembered {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "3  | 0 | 5    | 3",
            "3  | 2 |      | 3",
            "'' | 2 | 5    | 2",
            "'' | 0 | 5    | 5",
            "'' | 0 |      | 1",
            "'' | 0 | 0    | 1",
            "'' | 0 | many | 1",
    })
    void aWakeScalesToTheConfiguredCountElseTheCurrentElseTheRememberedElseOne(String configured, int current,
                                                                               String remembered, int expected) {
        Map<String, String> labels = remembered == null ? Map.of() : Map.of(LabelConfig.LAST_REPLICAS, remembered);
        OptionalInt conf = configured.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(configured));
        assertThat(ServiceInfos.wakeReplicas(conf, service(current, labels))).isEqualTo(expected);
    }

    @Test
    void tasksOnANodeAreThoseThatMayStillHoldTheirProcess() {
        assertThat(ServiceInfos.onNode(tasks("running/shutdown", "starting/running", "preparing/running",
                "shutdown/shutdown", "complete/shutdown", "failed/shutdown", "pending/running"))).isEqualTo(3);
    }

    @Test
    void stopGraceIsTheServicesOwnElseSwarmsDefault() {
        ObjectNode s = service(1, Map.of());
        assertThat(ServiceInfos.stopGrace(s)).isEqualTo(Duration.ofSeconds(10));
        ((ObjectNode) s.get("Spec")).putObject("TaskTemplate").putObject("ContainerSpec")
                .put("StopGracePeriod", Duration.ofSeconds(3).toNanos());
        assertThat(ServiceInfos.stopGrace(s)).isEqualTo(Duration.ofSeconds(3));
    }

    private static JsonNode event(String type, String action, String id, Map<String, String> attributes) {
        ObjectNode e = EngineJson.JSON.createObjectNode().put("status", action).put("id", id).put("time", 1_700_000_000L)
                .put("Type", type).put("Action", action);
        ObjectNode actor = e.putObject("Actor").put("ID", id);
        attributes.forEach(actor.putObject("Attributes")::put);
        return e;
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "service   | create  | CREATE",
            "service   | update  | CREATE",
            "service   | remove  | DESTROY",
            "container | start   | START",
            "container | die     | DIE",
    })
    void serviceAndTaskEventsAreEventsOfTheService(String type, String action, WorkloadEvent.Type expected) {
        Map<String, String> attributes = type.equals("service") ? Map.of("name", "shop_web")
                : Map.of("name", "shop_web.1.abc", ServiceInfos.TASK_SERVICE_LABEL, "shop_web",
                "com.docker.swarm.service.id", "svc1");
        WorkloadEvent e = ServiceInfos.fromEvent(event(type, action, "x1", attributes));
        assertThat(e).isNotNull();
        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.name()).isEqualTo("shop_web");
    }

    /** Objects of {@code GET /events} as engine 20.10 (API 1.41) streams them for a service and its tasks. */
    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "service   | create | CREATE  | svc1",
            "service   | update | CREATE  | svc1",
            "service   | remove | DESTROY | svc1",
            "container | start  | START   | svc1",
            "container | die    | DIE     | svc1",
    })
    void engineServiceAndTaskEventObjectsAreEventsOfTheService(String type, String action, WorkloadEvent.Type expected,
                                                               String id) throws Exception {
        String json = type.equals("service") ? """
                {"Type":"service","Action":"%s","Actor":{"ID":"svc1","Attributes":{"name":"shop_web",
                  "updatestate.new":"updating"}},"scope":"swarm","time":1795972881,"timeNano":1795972881929329941}"""
                : """
                {"status":"%s","id":"c0ffee","from":"nginx:1","Type":"container","Action":"%1$s",
                 "Actor":{"ID":"c0ffee","Attributes":{"com.docker.swarm.node.id":"n1","com.docker.swarm.service.id":"svc1",
                   "com.docker.swarm.service.name":"shop_web","com.docker.swarm.task":"","com.docker.swarm.task.id":"t1",
                   "com.docker.swarm.task.name":"shop_web.1.t1","exitCode":"0","image":"nginx:1","name":"shop_web.1.t1"}},
                 "scope":"local","time":1795972881,"timeNano":1795972881929329941}""";
        WorkloadEvent e = ServiceInfos.fromEvent(EngineJson.JSON.readTree(json.formatted(action)));
        assertThat(e).isNotNull();
        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.id()).isEqualTo(id);
        assertThat(e.name()).isEqualTo("shop_web");
        assertThat(e.service()).isNull();
        assertThat(e.labels()).isEmpty();
        assertThat(e.timeMillis()).isEqualTo(1_795_972_881_929L);
    }

    @Test
    void containersThatAreNoTaskAndActionsNotFollowedAreDropped() {
        assertThat(ServiceInfos.fromEvent(event("container", "start", "c1", Map.of("name", "plain"))))
                .isNull();
        assertThat(ServiceInfos.fromEvent(event("container", "exec_create", "c1",
                Map.of(ServiceInfos.TASK_SERVICE_LABEL, "shop_web")))).isNull();
        assertThat(ServiceInfos.fromEvent(event("network", "create", "n1", Map.of("name", "x")))).isNull();
    }

    @Test
    void setReplicasChangesOnlyTheCountOfACopiedSpec() {
        ObjectNode s = service(2, Map.of("keep", "me"));
        ((ObjectNode) s.get("Spec")).putObject("TaskTemplate").putObject("ContainerSpec").put("Image", "x:1")
                .put("UnknownToDockerJava", true);
        ObjectNode spec = s.get("Spec").deepCopy();
        ServiceScaling.setReplicas(spec, 0);
        assertThat(spec.at("/Mode/Replicated/Replicas").asInt()).isZero();
        ((ObjectNode) spec.at("/Mode/Replicated")).put("Replicas", 2);
        assertThat(spec).as("nothing else changed, fields docker-java does not model included").isEqualTo(s.get("Spec"));
        assertThat(ServiceInfos.replicas(s)).as("the service read stays as read").isEqualTo(2);
    }
}
