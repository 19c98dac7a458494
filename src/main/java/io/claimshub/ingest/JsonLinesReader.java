package io.claimshub.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;

/** A JSON Lines file, line by line. */
public final class JsonLinesReader implements IngestReader {

    private final BufferedReader in;
    private long number;
    private boolean finished;

    public JsonLinesReader(BufferedReader in) {
        this.in = in;
    }

    @Override
    public NumberedLine next() throws IOException {
        if (finished) {
            return null;
        }
        try {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                number++;
                IngestLine line = JsonLinesFormat.parse(text);
                if (!(line instanceof IngestLine.Blank)) {
                    return new NumberedLine(number, line);
                }
            }
        } catch (CharacterCodingException e) {
            finished = true;
            return new NumberedLine(number + 1, IngestLine.notUtf8());
        }
        finished = true;
        return null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
