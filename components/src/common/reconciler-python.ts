/**
 * Python shared by the platform's in-cluster reconcilers (the gateway's teams, the data catalog's teams):
 * each runs as a plain `python3` script in an image the platform already pins, so there is no package to
 * import this from; it is pasted into each script instead, once, here.
 *
 * What it gives a script: `remember_secret` / `redact_remembered` (no output may contain a secret the run
 * handled, plain or base64-encoded), `log` (prints through the script's own `redact`, which may add
 * patterns of its own), `Failure` (a request that failed for good: the request, the HTTP status or None when
 * unreachable, why, after how many attempts) and `error_message` (the message inside an API's error body,
 * in the shapes LiteLLM, Kubernetes and OpenMetadata use). The script imports `base64` and `json`.
 */
export const RECONCILER_PYTHON_HELPERS = String.raw`
# Strings no output may contain: every secret this run handled, also base64-encoded.
_secrets = []


def remember_secret(value):
    if value and len(value) >= 4:
        _secrets.append(value)
        _secrets.append(base64.b64encode(value.encode()).decode())


def redact_remembered(text):
    text = str(text)
    for value in _secrets:
        text = text.replace(value, "<redacted>")
    return text


def log(message):
    print(redact(message), flush=True)


class Failure(Exception):
    """A request that failed for good: what was asked, the HTTP status (None: unreachable) and why."""

    def __init__(self, request, status, detail, attempts=1):
        self.request = request
        self.status = status
        self.detail = detail
        what = "could not reach the server" if status is None else "HTTP %d" % status
        tries = " after %d attempts" % attempts if attempts > 1 else ""
        Exception.__init__(self, "%s: %s%s: %s" % (request, what, tries, detail))


def error_message(text):
    """The message in an API's error body (several shapes), else the text itself."""
    try:
        body = json.loads(text)
    except ValueError:
        return (text.strip() or "(empty response)")[:500]

    def pick(value):
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            parts = []
            for item in value:
                if isinstance(item, dict) and "msg" in item:
                    where = ".".join(str(p) for p in item.get("loc", []))
                    parts.append((where + ": " if where else "") + str(item["msg"]))
                else:
                    parts.append(json.dumps(item))
            return "; ".join(parts)
        if isinstance(value, dict):
            for field in ("message", "error", "detail"):
                found = pick(value.get(field))
                if found:
                    return found
        return None

    return (pick(body) or text.strip())[:500]
`;
