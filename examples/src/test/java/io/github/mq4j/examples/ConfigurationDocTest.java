package io.github.mq4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.QueueSpec;
import io.github.mq4j.Topology;
import io.github.mq4j.sqs.SqsBackendProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md documents exactly the environment variables the code reads: every
 * {@code "MESSAGE_QUEUE_…"} or {@code "DATABASE_URL"} string literal in the main sources of core
 * and the backends, with the per-queue prefix {@code "MESSAGE_QUEUE_SQS_"} standing for the eight
 * URL variables of the default topology; and on the documentation's side, every such variable
 * named (in backticks) anywhere in configuration.md. The AWS SDK's own variables ({@code AWS_…})
 * are documented there too but read by the SDK, not by mq4j, so neither side counts them.
 */
class ConfigurationDocTest {
    private static final Pattern LITERAL = Pattern.compile("\"((?:MESSAGE_QUEUE|DATABASE)_[A-Z0-9_]*)\"");
    private static final Pattern NAME = Pattern.compile("`((?:MESSAGE_QUEUE|DATABASE)_[A-Z0-9_]*)`");
    private static final String URL_PREFIX = "MESSAGE_QUEUE_SQS_";

    static Set<String> readByCode() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String module : new String[] {"core", "backend-postgres", "backend-sqs"}) {
            try (Stream<Path> files = Files.walk(DocSnippetsTest.root().resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = LITERAL.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        assertThat(names).as("the SQS backend builds each queue's URL variable from this prefix").contains(URL_PREFIX);
        assertThat(SqsBackendProvider.urlVariable("X")).isEqualTo(URL_PREFIX + "X_URL");
        names.remove(URL_PREFIX);
        for (QueueSpec spec : Topology.defaults().queues()) {
            names.add(SqsBackendProvider.urlVariable(spec.configKey()));
        }
        return names;
    }

    static Set<String> documented() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(Files.readString(DocSnippetsTest.root().resolve("docs/configuration.md"), StandardCharsets.UTF_8));
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    @Test
    void configurationDoc_namesExactlyTheVariablesTheCodeReads() throws IOException {
        Set<String> code = readByCode();
        Set<String> docs = documented();

        Set<String> undocumented = new TreeSet<>(code);
        undocumented.removeAll(docs);
        Set<String> notRead = new TreeSet<>(docs);
        notRead.removeAll(code);
        assertThat(undocumented).as("variables the code reads that docs/configuration.md does not document").isEmpty();
        assertThat(notRead).as("variables docs/configuration.md documents that the code does not read").isEmpty();
    }
}
