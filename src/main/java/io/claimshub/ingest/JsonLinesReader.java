package io.claimshub.ingest;

import java.io.IOException;

/** A JSON Lines file, line by line; a line that cannot be read is refused alone and the next one is read. */
public final class JsonLinesReader implements IngestReader {

    private final FileLines lines;

    public JsonLinesReader(FileLines lines) {
        this.lines = lines;
    }

    @Override
    public NumberedLine next() throws IOException {
        for (FileLines.Line text = lines.next(); text != null; text = lines.next()) {
            if (text.refused()) {
                return new NumberedLine(text.number(), text.refusal());
            }
            IngestLine line = JsonLinesFormat.parse(text.text());
            if (!(line instanceof IngestLine.Blank)) {
                return new NumberedLine(text.number(), line);
            }
        }
        return null;
    }

    @Override
    public boolean endHeldBack() {
        return lines.endHeldBack();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
