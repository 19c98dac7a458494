package io.claimshub.api;

import io.claimshub.event.EventJson;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Renders the {@link ApiResponse} in the body as the HTTP response: status, headers and JSON text. The request's
 * headers are dropped first, so none of them is echoed back as a response header.
 */
public final class ApiResponseWriter implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        ApiResponse response = message.getMandatoryBody(ApiResponse.class);
        message.removeHeaders("*");
        response.headers().forEach(message::setHeader);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        String type = response.contentType();
        if (response.body() != null && response.body().isTextual() && type != null && type.startsWith("text/")) {
            message.setBody(response.body().asText());
        } else {
            message.setBody(response.body() == null ? null : EventJson.write(response.body()));
        }
    }
}
