package io.claimshub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileLinesTest {

    private static FileLines lines(byte[] bytes, int maxLineBytes, boolean fileSettled) {
        return new FileLines(new ByteArrayInputStream(bytes), maxLineBytes, fileSettled);
    }

    private static List<FileLines.Line> all(FileLines lines) throws IOException {
        List<FileLines.Line> read = new ArrayList<>();
        for (FileLines.Line line = lines.next(); line != null; line = lines.next()) {
            read.add(line);
        }
        return read;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesAreSplitOnLineBreaksWithTheirCarriageReturnsDropped() throws IOException {
        List<FileLines.Line> read = all(lines(utf8("one\r\n\ntwo\u00e9\n"), 100, true));

        assertThat(read).extracting(FileLines.Line::text).containsExactly("one", "", "two\u00e9");
        assertThat(read).extracting(FileLines.Line::number).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aLastLineWithoutALineBreakIsHeldBackUntilTheFileIsSettled() throws IOException {
        FileLines growing = lines(utf8("one\ntw"), 100, false);
        FileLines settled = lines(utf8("one\ntwo"), 100, true);

        assertThat(all(growing)).extracting(FileLines.Line::text).containsExactly("one");
        assertThat(growing.endHeldBack()).isTrue();
        assertThat(all(settled)).extracting(FileLines.Line::text).containsExactly("one", "two");
        assertThat(settled.endHeldBack()).isFalse();
    }

    @Test
    void aLineWithABadByteOrOverTheLimitIsRefusedAloneAndReadingGoesOn() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(utf8("fine\n"));
        bytes.writeBytes(new byte[] {'b', (byte) 0xE9, 'd', '\n'});
        bytes.writeBytes(utf8("x".repeat(70_000) + "\n"));
        bytes.writeBytes(utf8("12345678\n"));

        List<FileLines.Line> read = all(lines(bytes.toByteArray(), 8, true));

        assertThat(read).extracting(FileLines.Line::text).containsExactly("fine", null, null, "12345678");
        assertThat(read.get(1).refusal().reason()).isEqualTo("not UTF-8");
        assertThat(read.get(2).refusal().reason()).isEqualTo("line too long");
        assertThat(read.get(2).refusal().errors().get(0).message()).startsWith("is 70000 bytes");
    }

    @Test
    void drainingCountsEveryByteOfTheFile() throws IOException {
        FileLines lines = lines(utf8("one\ntwo\nthree"), 100, true);
        lines.next();

        lines.drain();

        assertThat(lines.bytesRead()).isEqualTo(13);
    }
}
