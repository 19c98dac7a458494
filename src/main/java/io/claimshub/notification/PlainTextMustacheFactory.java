package io.claimshub.notification;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.Writer;

/**
 * Mustache for plain-text messages (e-mail bodies, SMS): values are written as they are, not HTML-escaped, so
 * "O'Brien" stays "O'Brien". The mustache component renders every notification template with it.
 */
public final class PlainTextMustacheFactory extends DefaultMustacheFactory {

    @Override
    public void encode(String value, Writer writer) {
        try {
            writer.write(value);
        } catch (IOException e) {
            throw new MustacheException("could not write a template value", e);
        }
    }
}
