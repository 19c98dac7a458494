package io.claimshub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.claimshub.event.FieldError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file of submitted claims: a header row naming the {@link #COLUMNS} (any order; other columns are ignored),
 * then one claim per row. Empty cells are left out of the claim, so the schema names them as required; errors
 * about the claim's data name the CSV column, not the JSON path.
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

    private final BufferedReader in;
    private long lineNumber;
    private Map<String, Integer> header;
    private boolean finished;

    public CsvClaimReader(BufferedReader in) {
        this.in = in;
    }

    @Override
    public NumberedLine next() throws IOException {
        if (finished) {
            return null;
        }
        long start = lineNumber + 1;
        String record;
        try {
            record = nextRecord();
        } catch (CharacterCodingException e) {
            finished = true;
            return new NumberedLine(start, IngestLine.notUtf8());
        }
        if (record == null) {
            finished = true;
            return null;
        }
        if (record.isBlank()) {
            return next();
        }
        String[] row;
        try {
            row = quoteBalanced(record) ? ROW.readValue(record) : null;
        } catch (JsonProcessingException e) {
            return new NumberedLine(start, new IngestLine.Unreadable("unreadable CSV row",
                    List.of(new FieldError("line", e.getOriginalMessage()))));
        }
        if (row == null) {
            // the quote never closes: where the next row starts cannot be told
            finished = true;
            return new NumberedLine(start, new IngestLine.Unreadable("unreadable CSV: a quote is not closed; the rest of"
                    + " the file was not read", List.of(new FieldError("line", "unclosed quoted field"))));
        }
        if (header == null) {
            return readHeader(start, row);
        }
        return new NumberedLine(start, claim(row));
    }

    /** The next row's text: one line, or several while a quoted field is open; {@code null} at the end. */
    private String nextRecord() throws IOException {
        String line = in.readLine();
        if (line == null) {
            return null;
        }
        lineNumber++;
        if (quoteBalanced(line)) {
            return line;
        }
        StringBuilder record = new StringBuilder(line);
        while (!quoteBalanced(record) && record.length() <= MAX_ROW_CHARS) {
            String more = in.readLine();
            if (more == null) {
                break;
            }
            lineNumber++;
            record.append('\n').append(more);
        }
        return record.toString();
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

    private NumberedLine readHeader(long number, String[] row) throws IOException {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < row.length; i++) {
            String name = row[i].strip();
            positions.putIfAbsent(i == 0 && name.startsWith("\uFEFF") ? name.substring(1) : name, i);
        }
        List<String> missing = COLUMNS.keySet().stream().filter(column -> !positions.containsKey(column)).toList();
        if (!missing.isEmpty()) {
            finished = true;
            return new NumberedLine(number, new IngestLine.Unreadable("the header row lacks columns; no row was read",
                    missing.stream().map(column -> new FieldError(column, "column is missing from the header")).toList()));
        }
        header = positions;
        return next();
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
        in.close();
    }
}
