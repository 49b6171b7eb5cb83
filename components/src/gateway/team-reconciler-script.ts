import { RECONCILER_PYTHON_HELPERS } from "../common/reconciler-python.js";

/**
 * The reconciler that keeps the gateway's LiteLLM teams and keys in line with the platform's teams, from
 * inside the cluster. It is Python on purpose: it runs in the gateway's own image (LiteLLM), which has
 * Python, so the platform ships no image of its own. Only the standard library is used (urllib, json,
 * hashlib, ssl), so the script does not depend on what else a LiteLLM release bundles.
 *
 * It is kept here as text (one script, so one file past 400 lines), shipped in a ConfigMap and run by a Job after every change of the desired teams
 * and by a CronJob that heals drift (a LiteLLM database restored from an old backup, a deleted key Secret).
 * tests/components/gateway/team-reconciler-script.test.ts runs exactly this text against the testing kit's
 * in-memory LiteLLM admin API and a fake Kubernetes API, and tests/integration/gateway-teams.test.ts against
 * the real LiteLLM proxy.
 *
 * What it does, each run:
 * 1. waits for the gateway to be ready and fails when it runs without a database (teams and keys live there);
 * 2. creates each desired team that the gateway lacks, and updates the models, budget and limits of those
 *    that differ; teams it created are marked in their metadata (`managed_by: mlops-platform`);
 * 3. checks each team's key Secret: a key the gateway does not know (a database reset), that is revoked or
 *    that belongs to another team is replaced: old keys under the team's key alias are revoked, a new key is
 *    issued and written to the Secret (server-side apply);
 * 4. deletes the marked teams that are no longer desired (LiteLLM deletes their keys with them).
 * It never prints a key: the master key, every key it handled and anything shaped like a LiteLLM key
 * (`sk-...`) are masked in everything it writes. A second run with nothing changed makes no change.
 *
 * The CronJob never overlaps itself (`Forbid`), but a healing run may coincide with the Job of a change. If
 * both issue a key for the same team, the later one revokes the earlier's, and a Secret can be left with a
 * revoked key; the next run replaces it. Both only issue keys for a team whose key is missing or invalid,
 * so this needs a team without a valid key at the very moment of a change.
 */

/** The Python source of the team reconciler (run as `python3 reconcile_teams.py`). */
export const TEAM_RECONCILER_SCRIPT = String.raw`#!/usr/bin/env python3
"""Reconciles the AI gateway's LiteLLM teams and their keys with the platform's desired teams.

Environment:
  GATEWAY_URL              the gateway's base URL, e.g. http://ai-gateway.mlp-gateway.svc:4000 (required)
  LITELLM_MASTER_KEY       the gateway's master key (required; from the gateway's Secret)
  TEAMS_FILE               the desired teams (JSON), default /etc/gateway-teams/teams.json
  KUBE_API_URL             default https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT
  KUBE_TOKEN_FILE          default /var/run/secrets/kubernetes.io/serviceaccount/token
  KUBE_CA_FILE             default /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
  RETRY_ATTEMPTS           attempts per request on 429, 5xx and network errors, default 5
  RETRY_BACKOFF_SECONDS    first wait between attempts (doubles, at most 30 s), default 1
  READY_TIMEOUT_SECONDS    how long to wait for the gateway to be ready, default 300
  READY_POLL_SECONDS       wait between readiness probes, default 5
  REQUEST_TIMEOUT_SECONDS  time one request may take, default 20

Exit status: 0 when every team is as desired, 1 when something failed (each failure is printed), 2 when
the run could not start (configuration, gateway not ready or without a database).
"""
import base64
import hashlib
import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

MANAGED_KEY = "managed_by"
MANAGED_VALUE = "mlops-platform"
FIELD_MANAGER = "mlops-platform-gateway-teams"
KEY_PATTERN = re.compile(r"sk-[A-Za-z0-9_\-]{6,}")

${RECONCILER_PYTHON_HELPERS}

def redact(text):
    # The master key and every key this run handled (remembered), and anything shaped like a LiteLLM key.
    return KEY_PATTERN.sub("sk-<redacted>", redact_remembered(text))


class Http:
    def __init__(self, base_url, headers, context=None):
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.context = context
        self.attempts = max(1, int(os.environ.get("RETRY_ATTEMPTS", "5")))
        self.backoff = float(os.environ.get("RETRY_BACKOFF_SECONDS", "1"))
        self.timeout = float(os.environ.get("REQUEST_TIMEOUT_SECONDS", "20"))

    def once(self, method, path, body=None, content_type="application/json"):
        """One request: (status, text); status None when the server could not be reached."""
        headers = dict(self.headers)
        headers["Accept"] = "application/json"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:
            return None, str(getattr(error, "reason", error))

    def call(self, method, path, body=None, accept=(), content_type="application/json"):
        """Retries 429, 5xx and network errors; returns (status, parsed body) for 2xx and 'accept'."""
        request = "%s %s" % (method, path.split("?")[0])
        wait = self.backoff
        for attempt in range(1, self.attempts + 1):
            status, text = self.once(method, path, body, content_type)
            if status is not None and (200 <= status < 300 or status in accept):
                try:
                    return status, json.loads(text) if text else None
                except ValueError:
                    return status, text
            retryable = status is None or status == 429 or status >= 500
            if not retryable or attempt == self.attempts:
                detail = text if status is None else error_message(text)
                raise Failure(request, status, redact(detail), attempt)
            time.sleep(wait)
            wait = min(wait * 2, 30)


class Gateway:
    """The LiteLLM admin API, with the master key."""

    def __init__(self, url, master_key):
        self.http = Http(url, {"Authorization": "Bearer " + master_key})

    def wait_until_ready(self):
        """The database status the gateway reports once it is ready ('connected', 'Not connected', ...)."""
        deadline = time.time() + float(os.environ.get("READY_TIMEOUT_SECONDS", "300"))
        poll = float(os.environ.get("READY_POLL_SECONDS", "5"))
        last = ""
        while True:
            status, text = self.http.once("GET", "/health/readiness")
            if status == 200:
                try:
                    return str(json.loads(text).get("db", "unknown"))
                except (ValueError, AttributeError):
                    return "unknown"
            last = "could not reach it (%s)" % text if status is None else "HTTP %d: %s" % (status, error_message(text))
            if time.time() + poll > deadline:
                raise Failure("GET /health/readiness", status, "the gateway did not become ready: " + redact(last))
            time.sleep(poll)

    def teams(self):
        _, body = self.http.call("GET", "/team/list")
        if not isinstance(body, list):
            raise Failure("GET /team/list", 200, "expected a list of teams")
        return [team for team in body if isinstance(team, dict) and isinstance(team.get("team_id"), str)]

    def create_team(self, body):
        _, created = self.http.call("POST", "/team/new", body)
        if not isinstance(created, dict) or not isinstance(created.get("team_id"), str):
            raise Failure("POST /team/new", 200, "the response has no team_id")
        return created

    def update_team(self, team_id, body):
        payload = dict(body)
        payload["team_id"] = team_id
        self.http.call("POST", "/team/update", payload)

    def delete_teams(self, team_ids):
        self.http.call("POST", "/team/delete", {"team_ids": team_ids}, accept=(404,))

    def key_info(self, key_hash):
        """The key's info by its hash (the key itself never goes into a URL), or None when unknown."""
        status, body = self.http.call("GET", "/key/info?key=" + urllib.parse.quote(key_hash), accept=(404,))
        if status == 404 or not isinstance(body, dict):
            return None
        info = body.get("info")
        return info if isinstance(info, dict) else None

    def revoke_alias(self, alias):
        self.http.call("POST", "/key/delete", {"key_aliases": [alias]}, accept=(404,))

    def revoke_hash(self, key_hash):
        self.http.call("POST", "/key/delete", {"keys": [key_hash]}, accept=(404,))

    def issue_key(self, team_id, alias):
        _, body = self.http.call(
            "POST", "/key/generate", {"team_id": team_id, "key_alias": alias, "metadata": {MANAGED_KEY: MANAGED_VALUE}}
        )
        key = body.get("key") if isinstance(body, dict) else None
        if not isinstance(key, str) or not key:
            raise Failure("POST /key/generate", 200, "the response has no key")
        remember_secret(key)
        return key


class Kubernetes:
    """The few Secret calls the reconciler makes, with its service account's token."""

    def __init__(self):
        url = os.environ.get("KUBE_API_URL")
        if not url:
            host = os.environ.get("KUBERNETES_SERVICE_HOST")
            port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
            if not host:
                raise Failure("kubernetes", None, "KUBERNETES_SERVICE_HOST is not set: run in a pod, or set KUBE_API_URL")
            url = "https://%s:%s" % ("[%s]" % host if ":" in host else host, port)
        token_file = os.environ.get("KUBE_TOKEN_FILE", "/var/run/secrets/kubernetes.io/serviceaccount/token")
        ca_file = os.environ.get("KUBE_CA_FILE", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")
        with open(token_file) as handle:
            token = handle.read().strip()
        remember_secret(token)
        context = ssl.create_default_context(cafile=ca_file) if url.startswith("https:") else None
        self.http = Http(url, {"Authorization": "Bearer " + token}, context)

    @staticmethod
    def path(namespace, name):
        return "/api/v1/namespaces/%s/secrets/%s" % (urllib.parse.quote(namespace), urllib.parse.quote(name))

    def read_key(self, namespace, name, field):
        """The key stored in the Secret, or None when there is no Secret or no key in it."""
        try:
            status, body = self.http.call("GET", self.path(namespace, name), accept=(404,))
        except Failure as failure:
            if failure.status != 403:
                raise
            hint = " (the reconciler's Role in %s lets it get, create and patch the Secret %s only)" % (namespace, name)
            raise Failure(failure.request, failure.status, failure.detail + hint)
        if status == 404 or not isinstance(body, dict):
            return None
        encoded = (body.get("data") or {}).get(field)
        if not encoded:
            return None
        try:
            value = base64.b64decode(encoded).decode()
        except ValueError:
            return None
        remember_secret(value)
        return value or None

    def write_key(self, namespace, name, field, value, labels):
        """Server-side apply: creates the Secret or sets its key, owning only the fields it writes."""
        secret = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "type": "Opaque",
            "data": {field: base64.b64encode(value.encode()).decode()},
        }
        query = "?fieldManager=%s&force=true" % FIELD_MANAGER
        self.http.call("PATCH", self.path(namespace, name) + query, secret, content_type="application/apply-patch+yaml")


def settings_of(team):
    """A desired team as LiteLLM's team fields (unset limits are None, which clears them)."""
    return {
        "team_alias": team["name"],
        "models": sorted(team.get("models") or []),
        "max_budget": team.get("maxBudgetUsd"),
        "budget_duration": team.get("budgetDuration"),
        "tpm_limit": team.get("tpmLimit"),
        "rpm_limit": team.get("rpmLimit"),
    }


def differences(wanted, row):
    changed = []
    for field, value in sorted(wanted.items()):
        actual = row.get(field)
        if field == "models":
            actual = sorted(actual or [])
        if actual != value:
            changed.append("%s %s -> %s" % (field, json.dumps(actual), json.dumps(value)))
    if (row.get("metadata") or {}).get(MANAGED_KEY) != MANAGED_VALUE:
        changed.append("adopted")
    return changed


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def load_desired(path):
    with open(path) as handle:
        desired = json.load(handle)
    secret = desired["keySecret"]
    teams = desired["teams"]
    names = [team["name"] for team in teams]
    duplicates = sorted(set(name for name in names if names.count(name) > 1))
    if duplicates:
        raise ValueError("teams listed twice: %s" % ", ".join(duplicates))
    for team in teams:
        if not team.get("namespace") or not team.get("keyAlias"):
            raise ValueError("team %s: namespace and keyAlias are required" % team.get("name"))
    return secret, teams


class Reconciler:
    def __init__(self, gateway, kubernetes, key_secret):
        self.gateway = gateway
        self.kubernetes = kubernetes
        self.secret_name = key_secret["name"]
        self.secret_field = key_secret["key"]
        self.secret_labels = key_secret.get("labels") or {}
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0, "issued": 0, "kept": 0}
        self.failures = []

    def team(self, team, existing):
        wanted = settings_of(team)
        body = dict(wanted)
        body["metadata"] = {MANAGED_KEY: MANAGED_VALUE}
        name = team["name"]
        if len(existing) > 1:
            ids = ", ".join(row["team_id"] for row in existing)
            raise Failure("GET /team/list", 200, "%d teams are named %s (%s): delete the extra ones on the gateway" % (len(existing), json.dumps(name), ids))
        if not existing:
            team_id = self.gateway.create_team(body)["team_id"]
            self.counts["created"] += 1
            log("team %s: created (%s)" % (name, team_id))
        else:
            team_id = existing[0]["team_id"]
            changed = differences(wanted, existing[0])
            if changed:
                self.gateway.update_team(team_id, body)
                self.counts["updated"] += 1
                log("team %s: updated: %s" % (name, "; ".join(changed)))
            else:
                self.counts["unchanged"] += 1
        self.key(team, team_id)

    def key(self, team, team_id):
        namespace, alias = team["namespace"], team["keyAlias"]
        where = "Secret %s/%s" % (namespace, self.secret_name)
        current = self.kubernetes.read_key(namespace, self.secret_name, self.secret_field)
        reason = "it had no key"
        if current:
            key_hash = sha256(current)
            info = self.gateway.key_info(key_hash)
            status = info.get("status", "active") if info else None
            if info is None:
                reason = "its key is unknown to the gateway: the gateway's database was reset, or the key deleted"
            elif info.get("blocked") is True or status not in ("active", None):
                reason = "its key is %s" % (status if status not in ("active", None) else "blocked")
            elif info.get("team_id") != team_id:
                reason = "its key belongs to another team"
            elif info.get("key_alias") != alias:
                reason = "its key has the alias %s, not %s" % (json.dumps(info.get("key_alias")), json.dumps(alias))
            else:
                self.counts["kept"] += 1
                return
            if info is not None:
                self.gateway.revoke_hash(key_hash)
        # Keys left under the alias by an interrupted run cannot be read back: revoke them before issuing.
        self.gateway.revoke_alias(alias)
        key = self.gateway.issue_key(team_id, alias)
        self.kubernetes.write_key(namespace, self.secret_name, self.secret_field, key, self.secret_labels)
        self.counts["issued"] += 1
        log("team %s: issued a new key into %s (%s)" % (team["name"], where, reason))

    def run(self, teams):
        rows = self.gateway.teams()
        by_alias = {}
        for row in rows:
            by_alias.setdefault(row.get("team_alias"), []).append(row)
        for team in teams:
            try:
                self.team(team, by_alias.get(team["name"], []))
            except Failure as failure:
                self.failures.append("team %s: %s" % (team["name"], failure))
        desired = set(team["name"] for team in teams)
        stale = [row for row in rows if (row.get("metadata") or {}).get(MANAGED_KEY) == MANAGED_VALUE and row.get("team_alias") not in desired]
        for row in stale:
            try:
                self.gateway.delete_teams([row["team_id"]])
                self.counts["deleted"] += 1
                log("team %s: deleted (%s), with its keys: it is no longer one of the platform's teams" % (row.get("team_alias"), row["team_id"]))
            except Failure as failure:
                self.failures.append("team %s: %s" % (row.get("team_alias"), failure))


def main():
    teams_file = os.environ.get("TEAMS_FILE", "/etc/gateway-teams/teams.json")
    master_key = os.environ.get("LITELLM_MASTER_KEY", "")
    url = os.environ.get("GATEWAY_URL", "")
    remember_secret(master_key)
    if not master_key or not url:
        log("error: GATEWAY_URL and LITELLM_MASTER_KEY must be set")
        return 2
    try:
        key_secret, teams = load_desired(teams_file)
    except (OSError, ValueError, KeyError, TypeError) as error:
        log("error: the desired teams in %s cannot be read: %s" % (teams_file, error))
        return 2
    gateway = Gateway(url, master_key)
    try:
        kubernetes = Kubernetes()
        db = gateway.wait_until_ready()
    except (Failure, OSError) as error:
        log("error: %s" % error)
        return 2
    if db == "Not connected":
        log("error: the gateway at %s runs without a database: teams and keys need one (set DATABASE_URL)" % url)
        return 2
    reconciler = Reconciler(gateway, kubernetes, key_secret)
    try:
        reconciler.run(teams)
    except Failure as failure:
        reconciler.failures.append(str(failure))
    counts = reconciler.counts
    log(
        "teams: %d created, %d updated, %d unchanged, %d deleted; keys: %d issued, %d kept"
        % (counts["created"], counts["updated"], counts["unchanged"], counts["deleted"], counts["issued"], counts["kept"])
    )
    for failure in reconciler.failures:
        log("error: " + failure)
    return 1 if reconciler.failures else 0


if __name__ == "__main__":
    sys.exit(main())
`;
