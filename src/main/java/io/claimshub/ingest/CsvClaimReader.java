package io.claimshub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.claimshub.event.FieldError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV file of submitted claims: a header row naming each of the {@link #COLUMNS} once (any order; other columns
 * are ignored), then one claim per row. Empty cells are left out of the claim, so the schema names them as required;
 * errors about the claim's data name the CSV column, not the JSON path.
 */
public final class CsvClaimReader implements IngestReader {

    /** Column name to the path of its value in the {@code claim.submitted} data. */
    public static final Map<String, String> COLUMNS;

    static {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("policyNumber", "policyNumber");
        columns.put("claimType", "claimType");
        columns.put("incidentDate", "incidentDate");
        columns.put("description", "description");
        columns.put("amount", "amountClaimed.amount");
        columns.put("currency", "amountClaimed.currency");
        columns.put("claimantName", "claimant.name");
        columns.put("claimantEmail", "claimant.email");
        columns.put("claimantPhone", "claimant.phone");
        columns.put("region", "region");
        columns.put("priority", "priority");
        COLUMNS = java.util.Collections.unmodifiableMap(columns);
    }

    // a quoted field may span lines, but not without end: past this a row is taken as an unclosed quote
    static final int MAX_ROW_CHARS = 1 << 20;

    // without a schema, a CSV row reads as an array of its cells
    private static final ObjectReader ROW = new CsvMapper().readerFor(String[].class);

    private final FileLines lines;
    private Map<String, Integer> header;
    private boolean finished;
    private boolean endHeldBack;

    public CsvClaimReader(FileLines lines) {
        this.lines = lines;
    }

    @Override
    public NumberedLine next() throws IOException {
        while (!finished) {
            FileLines.Line first = lines.next();
            if (first == null) {
                finished = true;
                return null;
            }
            long start = first.number();
            if (first.refused()) {
                // without its header no row can be read; after it, the next line is taken to start a row
                finished = header == null;
                return new NumberedLine(start, first.refusal());
            }
            Row row = record(first);
            if (row == null) {
                return null;
            }
            if (row.refusal() != null) {
                return new NumberedLine(start, row.refusal());
            }
            String record = row.text();
            if (record.isBlank()) {
                continue;
            }
            if (!quoteBalanced(record)) {
                // the quote never closes: where the next row starts cannot be told
                finished = true;
                return new NumberedLine(start, new IngestLine.Unreadable("unreadable CSV: a quote is not closed; the rest of"
                        + " the file was not read", List.of(new FieldError("line", "unclosed quoted field"))));
            }
            String[] cells;
            try {
                cells = ROW.readValue(record);
            } catch (JsonProcessingException e) {
                return new NumberedLine(start, new IngestLine.Unreadable("unreadable CSV row",
                        List.of(new FieldError("line", e.getOriginalMessage()))));
            }
            if (header == null) {
                NumberedLine refusedHeader = readHeader(start, cells);
                if (refusedHeader != null) {
                    return refusedHeader;
                }
                continue;
            }
            return new NumberedLine(start, claim(cells));
        }
        return null;
    }

    /** A row's text, or why it was refused; a row may span lines while a quoted field is open. */
    private record Row(String text, IngestLine.Unreadable refusal) {
    }

    /**
     * The row starting with {@code first}: one line, or several while a quoted field is open; {@code null} when the
     * file ends inside the open field and may still grow.
     */
    private Row record(FileLines.Line first) throws IOException {
        if (quoteBalanced(first.text())) {
            return new Row(first.text(), null);
        }
        StringBuilder record = new StringBuilder(first.text());
        while (!quoteBalanced(record) && record.length() <= MAX_ROW_CHARS) {
            FileLines.Line more = lines.next();
            if (more == null) {
                if (!lines.fileSettled()) {
                    finished = true;
                    endHeldBack = true;
                    return null;
                }
                break;
            }
            if (more.refused()) {
                // the row is refused as a whole, under the line it starts on
                return new Row(null, more.refusal());
            }
            record.append('\n').append(more.text());
        }
        long bytes = record.toString().getBytes(StandardCharsets.UTF_8).length;
        if (quoteBalanced(record) && bytes > lines.maxLineBytes()) {
            return new Row(null, IngestLine.tooLong(bytes, lines.maxLineBytes()));
        }
        return new Row(record.toString(), null);
    }

    @Override
    public boolean endHeldBack() {
        return endHeldBack || lines.endHeldBack();
    }

    /** An even number of quotes: every quoted field (with its {@code ""} escapes) is closed. */
    private static boolean quoteBalanced(CharSequence text) {
        int quotes = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '"') {
                quotes++;
            }
        }
        return quotes % 2 == 0;
    }

    /**
     * Takes the header row; answers its refusal if it names one of the {@link #COLUMNS} twice (which cell is meant
     * cannot be told, as with a JSON key given twice) or lacks one, else {@code null}. Other columns may repeat.
     */
    private NumberedLine readHeader(long number, String[] row) {
        Map<String, Integer> positions = new HashMap<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (int i = 0; i < row.length; i++) {
            String name = row[i].strip();
            name = i == 0 && name.startsWith("\uFEFF") ? name.substring(1) : name;
            if (positions.putIfAbsent(name, i) != null && COLUMNS.containsKey(name)) {
                repeated.add(name);
            }
        }
        if (!repeated.isEmpty()) {
            finished = true;
            return new NumberedLine(number, new IngestLine.Unreadable("the header row repeats columns; no row was read",
                    repeated.stream().map(column -> new FieldError(column, "column appears more than once in the header")).toList()));
        }
        List<String> missing = COLUMNS.keySet().stream().filter(column -> !positions.containsKey(column)).toList();
        if (!missing.isEmpty()) {
            finished = true;
            return new NumberedLine(number, new IngestLine.Unreadable("the header row lacks columns; no row was read",
                    missing.stream().map(column -> new FieldError(column, "column is missing from the header")).toList()));
        }
        header = positions;
        return null;
    }

    private IngestLine claim(String[] row) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        COLUMNS.forEach((column, path) -> {
            int position = header.get(column);
            String value = position < row.length ? row[position].strip() : "";
            if (value.isEmpty()) {
                return;
            }
            String[] steps = path.split("\\.");
            ObjectNode parent = data;
            for (int i = 0; i < steps.length - 1; i++) {
                parent = parent.has(steps[i]) ? (ObjectNode) parent.get(steps[i]) : parent.putObject(steps[i]);
            }
            String field = steps[steps.length - 1];
            if ("amount".equals(column)) {
                putAmount(parent, field, value);
            } else {
                parent.put(field, value);
            }
        });
        return new IngestLine.Submission(data, null);
    }

    private static void putAmount(ObjectNode parent, String field, String value) {
        try {
            parent.put(field, new BigDecimal(value));
        } catch (NumberFormatException e) {
            // kept as text: the schema then says the amount must be a number, naming the column
            parent.put(field, value);
        }
    }

    /** The CSV column a {@code data.*} error path refers to, where there is one. */
    public static FieldError toColumn(FieldError error) {
        for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
            if (error.field().equals("data." + column.getValue())) {
                return new FieldError(column.getKey(), error.message());
            }
        }
        if (error.field().equals("data.amountClaimed")) {
            return new FieldError("amount", error.message());
        }
        if (error.field().equals("data.claimant")) {
            return new FieldError("claimantName", error.message());
        }
        return error;
    }

    @Override
    public List<FieldError> describe(List<FieldError> errors) {
        List<FieldError> mapped = new ArrayList<>(errors.size());
        errors.forEach(error -> mapped.add(toColumn(error)));
        return mapped;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
