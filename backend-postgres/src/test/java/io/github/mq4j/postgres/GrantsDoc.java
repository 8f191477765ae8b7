package io.github.mq4j.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of section {@value #SECTION} of {@code docs/operations.md}, read from the file, so that
 * the tests run exactly the grants the documentation gives and the two cannot drift apart.
 */
final class GrantsDoc {
    static final String SECTION = "## PostgreSQL grants";
    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);

    /** The names the documentation uses, and the ones a test puts in their place. */
    record Names(String schema, String app, String owner, String database, String appPassword, String ownerPassword) {}

    private GrantsDoc() {}

    /** The {@code sql} code blocks of the section, in order, each as its statements with {@code names} in place. */
    static List<List<String>> blocks(Names names) {
        List<List<String>> blocks = new ArrayList<>();
        Matcher m = SQL_BLOCK.matcher(section());
        while (m.find()) {
            List<String> statements = new ArrayList<>();
            for (String statement : substitute(m.group(1), names).split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    statements.add(statement.strip());
                }
            }
            blocks.add(statements);
        }
        return blocks;
    }

    private static String substitute(String sql, Names n) {
        return sql.replaceAll("\\bmq4j_owner\\b", n.owner())
                .replaceAll("\\bmq4j_app\\b", n.app())
                .replaceAll("\\bmq4j\\b", n.schema())
                .replaceAll("\\bappdb\\b", n.database())
                .replace("'app-password'", "'" + n.appPassword() + "'")
                .replace("'owner-password'", "'" + n.ownerPassword() + "'");
    }

    /** The text of the section: from its heading to the next heading of the same level. */
    static String section() {
        String doc;
        try {
            doc = Files.readString(find());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = doc.indexOf(SECTION + "\n");
        if (start < 0) {
            throw new IllegalStateException("docs/operations.md has no section '" + SECTION + "'");
        }
        int end = doc.indexOf("\n## ", start + SECTION.length());
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    /** docs/operations.md, found from the working directory (the module's) upwards. */
    private static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("operations.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException("docs/operations.md not found above " + Path.of("").toAbsolutePath());
    }
}
