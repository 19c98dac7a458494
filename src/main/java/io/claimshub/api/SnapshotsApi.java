package io.claimshub.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.ops.SnapshotChecks;

/**
 * {@code GET /api/ops/snapshots/consistency}: the snapshots that differ from a replay of their claim's stream;
 * {@code POST /api/ops/snapshots/rebuild}: rebuild one ({@code {claimId}}) or all ({@code {all: true}}) from the streams.
 */
public final class SnapshotsApi {

    private final SnapshotChecks checks;

    public SnapshotsApi(SnapshotChecks checks) {
        this.checks = checks;
    }

    public ApiResponse consistency(String limit) {
        Integer n = OperationsApi.limit(limit);
        if (n == null) {
            return Problems.invalid(new FieldError("limit", "'" + limit + "' is not a whole number from 1 to "
                    + OperationsApi.MAX_LIMIT));
        }
        SnapshotChecks.Report report = checks.report(n);
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("checked", report.checked()).put("differing", report.differing());
        ArrayNode list = body.putArray("snapshots");
        report.listed().forEach(d -> {
            ObjectNode node = list.addObject().put("claimId", d.claimId());
            d.fields().forEach(node.putArray("fields")::add);
        });
        return ApiResponse.json(200, body);
    }

    public ApiResponse rebuild(String operator, String contentType, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        OpsRequests.Parsed request = OpsRequests.write(operator, contentType, body, true, errors);
        if (request.refusal() != null) {
            return request.refusal();
        }
        JsonNode json = request.json();
        String reason = OpsRequests.optionalText(json, "reason", errors);
        boolean all = json != null && json.path("all").asBoolean(false);
        String claimId = json == null ? null : json.path("claimId").asText(null);
        if (all == (claimId != null)) {
            errors.add(new FieldError("claimId", "give either claimId or all: true"));
        } else if (claimId != null && !ClaimIds.isValid(claimId)) {
            errors.add(new FieldError("claimId", "'" + claimId + "' is not a claim id"));
        }
        if (!errors.isEmpty()) {
            return Problems.invalid(OpsRequests.summary(errors), errors);
        }
        ObjectNode answer = EventJson.mapper().createObjectNode();
        if (all) {
            answer.put("rebuilt", checks.rebuildAll(operator, reason));
        } else if (checks.rebuild(claimId, operator, reason)) {
            answer.put("rebuilt", 1).put("claimId", claimId);
        } else {
            return Problems.notFound("claim " + claimId + " has no events to rebuild from");
        }
        return ApiResponse.json(200, answer);
    }
}
