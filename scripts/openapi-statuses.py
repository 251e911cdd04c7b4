#!/usr/bin/env python3
"""Gives every operation of crates/app/openapi.json the statuses the request
pipeline can answer it with, whatever its handler does (issue 14, finding 7):

- 422 `validation_failed` (a query parameter sent empty or twice is refused
  on every route) and 503 `busy` on every operation;
- 404 on operations with a path parameter (an ID that names nothing);
- 400, 413 and 415 on operations with a request body (malformed JSON, too
  large, wrong media type);

and closes request-body objects (`additionalProperties: false`, as serde's
`deny_unknown_fields` does), except the provider's events, which stay open
to fields a newer provider sends. Idempotent: run it after adding routes;
`openapi::every_operation_states_the_pipelines_statuses` checks it was.

    python3 scripts/openapi-statuses.py [path/to/openapi.json]
"""
import json
import sys

PATH = sys.argv[1] if len(sys.argv) > 1 else "crates/app/openapi.json"
ERR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
RESPONSES = {
    "BadRequest": {"description": "400: the body is not JSON (`invalid_json`) or could not be read (`unreadable_body`).", "content": ERR},
    "PayloadTooLarge": {"description": "413 `payload_too_large`: the body is larger than the route's limit (`{limit}`); refused before it is read when `Content-Length` says so.", "content": ERR},
    "UnsupportedMediaType": {"description": "415 `unsupported_media_type`: the body's `Content-Type` is not the one the route takes (`application/json` unless stated).", "content": ERR},
    "Unprocessable": {"description": "422 `validation_failed`: `fields` names each refused field or query parameter (a query parameter sent empty or twice is refused too).", "content": ERR},
    "Busy": {"description": "503 `busy`: the database is busy with other writes; retry after `Retry-After` seconds.", "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}, "content": ERR},
    "NotFound": {"description": "404 `not_found`: no such object (an ID that is not a positive integer names none).", "content": ERR},
}
OPEN_BODIES = {("/hooks/events", "post")}


def ref(name):
    return {"$ref": f"#/components/responses/{name}"}


def close(schema):
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    # An object's own schema is closed; a branch of anyOf/oneOf that only
    # adds rules to its object's properties (no `type`) is not.
    if "properties" in schema and "additionalProperties" not in schema and "type" in schema:
        schema["additionalProperties"] = False
    for v in schema.get("properties", {}).values():
        close(v)
    if "items" in schema:
        close(schema["items"])
    for k in ("oneOf", "anyOf", "allOf"):
        for v in schema.get(k, []):
            close(v)


def main():
    with open(PATH, encoding="utf-8") as f:
        doc = json.load(f)
    doc.setdefault("components", {}).setdefault("responses", {}).update(RESPONSES)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = op.setdefault("responses", {})
            body = op.get("requestBody")
            if body:
                responses.setdefault("413", ref("PayloadTooLarge"))
                responses.setdefault("415", ref("UnsupportedMediaType"))
                json_body = body.get("content", {}).get("application/json")
                if json_body is not None:
                    responses.setdefault("400", ref("BadRequest"))
                    if (path, method) not in OPEN_BODIES:
                        close(json_body.get("schema"))
            responses.setdefault("422", ref("Unprocessable"))
            responses.setdefault("503", ref("Busy"))
            if "{" in path:
                responses.setdefault("404", ref("NotFound"))
            for prm in op.get("parameters", []):
                schema = prm.get("schema") if isinstance(prm, dict) else None
                if prm.get("in") == "query" and isinstance(schema, dict) and schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("minLength", 1)
    with open(PATH, "w", encoding="utf-8") as f:
        f.write(visible(json.dumps(doc, ensure_ascii=False, indent=2)))
        f.write("\n")


# Characters written as \uXXXX so the document shows them: controls,
# format characters (zero-width, direction marks) and the Hangul fillers.
FILLERS = {"\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\u00a0"}


def visible(text):
    import unicodedata

    def esc(ch):
        if ch in FILLERS or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp"):
            if ch in "\n":
                return ch
            return "\\u%04x" % ord(ch)
        return ch

    return "".join(esc(ch) for ch in text)


if __name__ == "__main__":
    main()
