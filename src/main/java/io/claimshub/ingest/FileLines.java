package io.claimshub.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of an ingest file, split on the {@code \n} byte (which UTF-8 never uses inside a character) and decoded
 * one at a time: a byte that is not UTF-8, or a line over the size limit, spoils only its own line, and a line over
 * the limit is skipped without being held in memory. A last line without a line break is held back while the file
 * may still be growing.
 */
public final class FileLines implements Closeable {

    /** One line: its text, or why it cannot be read. */
    public record Line(long number, String text, IngestLine.Unreadable refusal) {

        public boolean refused() {
            return refusal != null;
        }
    }

    private static final int CHUNK_BYTES = 1 << 16;

    private final InputStream in;
    private final int maxLineBytes;
    private final boolean fileSettled;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int position;
    private int limit;
    private byte[] line = new byte[1024];
    private int kept;
    private long number;
    private long bytesRead;
    private boolean ended;
    private boolean endHeldBack;

    /**
     * @param fileSettled whether the file has stopped changing: only then is a last line without a line break taken
     *                    as complete; until then it may be the first half of a line still being written
     */
    public FileLines(InputStream in, int maxLineBytes, boolean fileSettled) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("the line size limit must be 1 byte or more; was " + maxLineBytes);
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.fileSettled = fileSettled;
    }

    /** The next line (blank ones included), or {@code null} at the end of the file or before a held-back last line. */
    public Line next() throws IOException {
        if (ended) {
            return null;
        }
        kept = 0;
        long length = 0;
        boolean terminated = false;
        while (!terminated) {
            if (position == limit && !fill()) {
                break;
            }
            int start = position;
            while (position < limit && chunk[position] != '\n') {
                position++;
            }
            keep(start, position - start);
            length += position - start;
            if (position < limit) {
                position++;
                terminated = true;
            }
        }
        if (!terminated) {
            ended = true;
            if (length == 0) {
                return null;
            }
            if (!fileSettled) {
                endHeldBack = true;
                return null;
            }
        }
        number++;
        if (length == kept && kept > 0 && line[kept - 1] == '\r') {
            kept--;
            length--;
        }
        if (length > maxLineBytes) {
            return new Line(number, null, IngestLine.tooLong(length, maxLineBytes));
        }
        try {
            return new Line(number, utf8.decode(ByteBuffer.wrap(line, 0, kept)).toString(), null);
        } catch (CharacterCodingException e) {
            return new Line(number, null, IngestLine.notUtf8());
        }
    }

    /** Whether the file ended in a line without a line break that was not read, since the file may still grow. */
    public boolean endHeldBack() {
        return endHeldBack;
    }

    /** Whether the file has stopped changing, so that its end is its end. */
    public boolean fileSettled() {
        return fileSettled;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Reads what is left of the file unread, so that {@link #bytesRead()} (and whatever the stream digests) is all of it. */
    public void drain() throws IOException {
        position = limit;
        while (fill()) {
            position = limit;
        }
    }

    /** The bytes taken from the stream so far. */
    public long bytesRead() {
        return bytesRead;
    }

    private boolean fill() throws IOException {
        int read = in.read(chunk);
        if (read <= 0) {
            position = 0;
            limit = 0;
            return false;
        }
        bytesRead += read;
        position = 0;
        limit = read;
        return true;
    }

    /** Keeps up to one byte more than the limit: enough to tell a line over it, and to strip a {@code \r}. */
    private void keep(int start, int count) {
        int taken = (int) Math.min(count, Math.max((long) maxLineBytes + 1 - kept, 0));
        if (taken == 0) {
            return;
        }
        if (kept + taken > line.length) {
            line = Arrays.copyOf(line, (int) Math.min((long) maxLineBytes + 1, Math.max(2L * line.length, (long) kept + taken)));
        }
        System.arraycopy(chunk, start, line, kept, taken);
        kept += taken;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
