package io.virta.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code k8s/Dockerfile} without a Docker engine: its stages, what the image copies and
 * runs, and that it agrees with the manifests on ports and user.
 */
class DockerfileTest {
    /** One instruction, continuation lines joined: the keyword upper-cased and its arguments. */
    private record Instruction(String keyword, String arguments) {}

    /** A JDK stage named {@code build} runs the Maven build; a JRE stage is the image. */
    @Test
    void buildsWithTheWrapperInAJdkStageAndRunsOnAJre() throws IOException {
        List<Instruction> instructions = instructions();
        assertThat(all(instructions, "FROM"))
                .containsExactly("eclipse-temurin:17-jdk AS build", "eclipse-temurin:17-jre");
        assertThat(all(instructions, "RUN"))
                .anyMatch(r -> r.endsWith("./mvnw -B -q -DskipTests package -pl api-gateway -am"));
    }

    /**
     * The image holds the server distribution at {@code /opt/virta} and starts its launcher as a
     * non-root user, the same the pods are told to run as.
     */
    @Test
    void copiesTheDistributionAndRunsItAsTheManifestsUser() throws IOException {
        List<Instruction> image = finalStage(instructions());
        assertThat(all(image, "COPY"))
                .containsExactly("--from=build /src/api-gateway/target/virta-server/ /opt/virta/");
        assertThat(all(image, "ENTRYPOINT")).containsExactly("[\"/opt/virta/bin/virta-server\"]");
        String user = last(image, "USER").split(":")[0];
        assertThat(user).isNotIn("root", "0");
        for (String overlay : List.of("dev", "prod")) {
            assertThat(
                            ManifestsTest.podSpec(Overlay.of(overlay))
                                    .getSecurityContext()
                                    .getRunAsUser())
                    .as(overlay + " runAsUser")
                    .isEqualTo(Long.parseLong(user));
        }
    }

    /** EXPOSE lists exactly the container ports of the manifests. */
    @Test
    void exposesTheContainerPorts() throws IOException {
        Set<Integer> exposed =
                Arrays.stream(last(finalStage(instructions()), "EXPOSE").split("\\s+"))
                        .map(Integer::valueOf)
                        .collect(Collectors.toSet());
        for (String overlay : List.of("dev", "prod")) {
            assertThat(Overlay.of(overlay).virtaContainer().getPorts())
                    .extracting(p -> p.getContainerPort())
                    .as(overlay)
                    .containsExactlyInAnyOrderElementsOf(exposed);
        }
    }

    /** The context leaves out build output, local data and git, but keeps the Maven wrapper. */
    @Test
    void dockerignoreKeepsOutputAndDataOut() throws IOException {
        List<String> patterns =
                Files.readAllLines(Overlay.k8sDir().resolve("Dockerfile.dockerignore")).stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .toList();
        assertThat(patterns).contains("**/target", ".virta", ".git");
        assertThat(patterns).noneMatch(p -> p.contains("mvn"));
    }

    private static List<Instruction> instructions() throws IOException {
        String text = Files.readString(Overlay.k8sDir().resolve("Dockerfile"));
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String[] parts = current.toString().strip().split("\\s+", 2);
            instructions.add(
                    new Instruction(
                            parts[0].toUpperCase(),
                            parts.length > 1 ? parts[1].replaceAll("\\s+", " ") : ""));
            current.setLength(0);
        }
        return instructions;
    }

    private static List<Instruction> finalStage(List<Instruction> instructions) {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    private static List<String> all(List<Instruction> instructions, String keyword) {
        return instructions.stream()
                .filter(i -> i.keyword().equals(keyword))
                .map(Instruction::arguments)
                .toList();
    }

    private static String last(List<Instruction> instructions, String keyword) {
        List<String> found = all(instructions, keyword);
        assertThat(found).as(keyword).isNotEmpty();
        return found.get(found.size() - 1);
    }
}
