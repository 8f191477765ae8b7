package io.github.mq4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the code in README.md and docs/*.md compiling: every fenced block has a language tag;
 * every {@code java} block is preceded by {@code <!-- snippet: NAME -->} and is, line for line, the
 * region {@code // snippet-start: NAME} … {@code // snippet-end: NAME} of a source in
 * {@code examples/src/main/java} (with the region's common indentation removed). Blocks in
 * other languages (sh, xml, sql, text, …) are not Java and not compiled.
 */
class DocSnippetsTest {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*([\\w-]+)\\s*-->");
    private static final Pattern REGION_START = Pattern.compile("//\\s*snippet-start:\\s*([\\w-]+)\\s*");
    private static final Pattern REGION_END = Pattern.compile("//\\s*snippet-end:\\s*([\\w-]+)\\s*");

    /** The repository's root: the parent of the examples module, where the tests run. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("README.md")) ? here : here.getParent();
    }

    /** README.md and every docs/*.md. */
    static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root().resolve("README.md"));
        try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** A fenced code block of a markdown file. */
    record Block(Path file, int line, String language, String marker, String text) {
        String where() {
            return root().relativize(file) + ":" + line;
        }
    }

    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String open = lines.get(i).strip();
            if (!open.startsWith("```")) {
                continue;
            }
            String marker = "";
            for (int j = i - 1; j >= 0; j--) {
                if (!lines.get(j).isBlank()) {
                    Matcher m = MARKER.matcher(lines.get(j).strip());
                    marker = m.matches() ? m.group(1) : "";
                    break;
                }
            }
            StringBuilder text = new StringBuilder();
            int start = i;
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            blocks.add(new Block(file, start + 1, open.substring(3).strip(), marker, text.toString()));
        }
        return blocks;
    }

    /** Every region of the example sources, by name, with its common indentation removed. */
    static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        Path sources = root().resolve("examples/src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher start = REGION_START.matcher(lines.get(i).strip());
                    if (!start.matches()) {
                        continue;
                    }
                    String name = start.group(1);
                    List<String> body = new ArrayList<>();
                    int j = i + 1;
                    while (j < lines.size() && !REGION_END.matcher(lines.get(j).strip()).matches()) {
                        body.add(lines.get(j++));
                    }
                    assertThat(j).as("snippet-start: %s in %s has no snippet-end", name, file).isLessThan(lines.size());
                    Matcher end = REGION_END.matcher(lines.get(j).strip());
                    assertThat(end.matches() && end.group(1).equals(name))
                            .as("region %s in %s ends with '%s'", name, file, lines.get(j).strip()).isTrue();
                    assertThat(regions.put(name, dedent(body))).as("region %s is defined twice", name).isNull();
                    i = j;
                }
            }
        }
        return regions;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    @Test
    void everyCodeBlock_hasALanguage() throws IOException {
        List<String> untagged = new ArrayList<>();
        for (Path file : markdownFiles()) {
            for (Block b : blocks(file)) {
                if (b.language().isEmpty()) {
                    untagged.add(b.where());
                }
            }
        }
        assertThat(untagged).as("code blocks without a language tag (use java, sh, sql, xml, text, ...)").isEmpty();
    }

    @Test
    void everyJavaBlock_isTheRegionOfACompiledExample() throws IOException {
        Map<String, String> regions = regions();
        List<String> problems = new ArrayList<>();
        for (Path file : markdownFiles()) {
            for (Block b : blocks(file)) {
                if (!b.language().equals("java")) {
                    continue;
                }
                if (b.marker().isEmpty()) {
                    problems.add(b.where() + ": a java block without <!-- snippet: NAME --> before it");
                } else if (!regions.containsKey(b.marker())) {
                    problems.add(b.where() + ": no region '" + b.marker() + "' in examples/src/main/java (have " + regions.keySet() + ")");
                } else if (!regions.get(b.marker()).equals(b.text())) {
                    problems.add(b.where() + ": differs from region '" + b.marker() + "'; the region is:\n" + regions.get(b.marker()));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRegion_isShownSomewhere() throws IOException {
        Set<String> shown = new TreeSet<>();
        for (Path file : markdownFiles()) {
            blocks(file).forEach(b -> shown.add(b.marker()));
        }
        assertThat(shown).as("regions no markdown block shows").containsAll(regions().keySet());
    }
}
