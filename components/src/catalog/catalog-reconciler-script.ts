import { RECONCILER_PYTHON_HELPERS } from "../common/reconciler-python.js";

/**
 * The reconciler that makes the stack's teams the data catalog's teams and registers the platform's own
 * databases in it, from inside the cluster, after OpenMetadata is up. Python with the standard library only
 * (urllib, json, base64), so it runs in OpenMetadata's own ingestion image, which the catalog already pulls
 * for its ingestion Jobs: the platform ships no image of its own.
 *
 * It is kept here as text, shipped in a ConfigMap and run by a Job after every change of the desired state
 * (Pulumi waits for it). tests/components/catalog/catalog-reconciler-script.test.ts runs exactly this text
 * against a fake OpenMetadata API over HTTP.
 *
 * What it does, each run:
 * 1. waits for OpenMetadata to answer (`GET /api/v1/system/version`);
 * 2. signs in as the admin with the password from the stack's Secret; on a fresh catalog, whose admin still
 *    has the upstream default password, it signs in with that once and sets the stack's;
 * 3. creates each desired team (a `Group`) that the catalog lacks and updates one whose display name or
 *    description differs;
 * 4. creates the `Sensitivity` classification and its tags (public, internal, confidential, restricted)
 *    that datasets are labelled with;
 * 5. registers each desired database (a PostgreSQL database service, owned by its team, so every schema and
 *    table inherits the owner) and its metadata ingestion pipeline, deployed to the Kubernetes-native
 *    orchestrator, when missing or when its connection, owner or schedule differs.
 * Teams no longer desired are left in the catalog: they may own datasets. It never prints a password. A
 * second run with nothing changed makes no change ("0 changes").
 */

/** The Python source of the catalog reconciler (run as `python3 reconcile_catalog.py`). */
export const CATALOG_RECONCILER_SCRIPT = String.raw`#!/usr/bin/env python3
"""Reconciles the data catalog's teams, classification and database services with the platform's.

Environment:
  OPENMETADATA_URL             the catalog's base URL, e.g. http://openmetadata.mlp-catalog.svc:8585 (required)
  OPENMETADATA_ADMIN_EMAIL     the admin's login, default admin@open-metadata.org
  OPENMETADATA_ADMIN_PASSWORD  the admin's password the stack keeps (required; from its Secret)
  DESIRED_FILE                 teams, classification and services (JSON), default /etc/catalog/desired.json
  SOURCES_FILE                 each service's username and password (JSON), default /etc/catalog-sources/sources.json
  RETRY_ATTEMPTS               attempts per request on 429, 5xx and network errors, default 5
  RETRY_BACKOFF_SECONDS        first wait between attempts (doubles, at most 30 s), default 1
  READY_TIMEOUT_SECONDS        how long to wait for the catalog to answer, default 600
  READY_POLL_SECONDS           wait between probes, default 5
  REQUEST_TIMEOUT_SECONDS      time one request may take, default 30

Exit status: 0 when the catalog is as desired, 1 when something failed (each failure is printed), 2 when
the run could not start (configuration, catalog not answering, admin sign-in refused).
"""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# OpenMetadata's initial admin password with basic authentication, replaced on the first run.
DEFAULT_ADMIN_PASSWORD = "admin"
${RECONCILER_PYTHON_HELPERS}

def redact(text):
    # The admin's passwords and the sources' credentials this run handled (remembered).
    return redact_remembered(text)


class Problem(Exception):
    """Something wrong with what was asked, found before any request."""


class Catalog:
    """OpenMetadata's REST API (/api/v1)."""

    def __init__(self, url):
        self.base = url.rstrip("/") + "/api/v1"
        self.token = None
        self.attempts = max(1, int(os.environ.get("RETRY_ATTEMPTS", "5")))
        self.backoff = float(os.environ.get("RETRY_BACKOFF_SECONDS", "1"))
        self.timeout = float(os.environ.get("REQUEST_TIMEOUT_SECONDS", "30"))
        self.changes = 0

    def once(self, method, path, body=None):
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:
            return None, str(getattr(error, "reason", error))

    def call(self, method, path, body=None, accept=()):
        """Retries 429, 5xx and network errors; returns (status, parsed body) for 2xx and 'accept'."""
        request = "%s %s" % (method, path.split("?")[0])
        wait = self.backoff
        for attempt in range(1, self.attempts + 1):
            status, text = self.once(method, path, body)
            if status is not None and (200 <= status < 300 or status in accept):
                try:
                    return status, json.loads(text) if text else None
                except ValueError:
                    return status, text
            if not (status is None or status == 429 or status >= 500) or attempt == self.attempts:
                raise Failure(request, status, redact(text if status is None else error_message(text)))
            time.sleep(wait)
            wait = min(wait * 2, 30)

    def get(self, path):
        """The entity at path, or None when the catalog has none (404)."""
        status, body = self.call("GET", path, accept=(404,))
        return None if status == 404 else body

    def put(self, path, body, what):
        """Create or update (OpenMetadata's PUT on a collection is idempotent by name)."""
        _, result = self.call("PUT", path, body)
        self.changes += 1
        log("  " + what)
        return result

    def wait_until_ready(self):
        deadline = time.time() + float(os.environ.get("READY_TIMEOUT_SECONDS", "600"))
        poll = float(os.environ.get("READY_POLL_SECONDS", "5"))
        while True:
            status, text = self.once("GET", "/system/version")
            if status == 200:
                try:
                    return json.loads(text).get("version", "unknown")
                except (ValueError, AttributeError):
                    return "unknown"
            last = "could not reach it (%s)" % text if status is None else "HTTP %d: %s" % (status, error_message(text))
            if time.time() + poll > deadline:
                raise Failure("GET /api/v1/system/version", status, "the catalog did not answer: " + redact(last))
            time.sleep(poll)

    def login(self, email, password):
        """True when signed in; False when the password is refused."""
        body = {"email": email, "password": base64.b64encode(password.encode()).decode()}
        status, result = self.call("POST", "/users/login", body, accept=(401, 403))
        if status in (401, 403):
            return False
        token = result.get("accessToken") if isinstance(result, dict) else None
        if not token:
            raise Failure("POST /api/v1/users/login", status, "no accessToken in the answer")
        remember_secret(token)
        self.token = token
        return True


def sign_in(catalog, email, password):
    if catalog.login(email, password):
        return
    # A fresh catalog: its admin still has the upstream default, which the stack's password replaces.
    if not catalog.login(email, DEFAULT_ADMIN_PASSWORD):
        raise Failure("POST /api/v1/users/login", 401, "the admin's password is neither the stack's nor the initial one: reset it in the catalog, or set the stack's secret to it")
    catalog.call("PUT", "/users/changePassword", {
        "username": email.split("@")[0],
        "oldPassword": DEFAULT_ADMIN_PASSWORD,
        "newPassword": password,
        "confirmPassword": password,
        "requestType": "SELF",
    })
    catalog.changes += 1
    log("  admin: replaced the initial password with the stack's")
    if not catalog.login(email, password):
        raise Failure("POST /api/v1/users/login", 401, "the new admin password was not accepted")


def reconcile_teams(catalog, teams):
    ids = {}
    for team in teams:
        name = team["name"]
        current = catalog.get("/teams/name/%s" % urllib.parse.quote(name))
        wanted = {"name": name, "displayName": team["displayName"], "description": team["description"], "teamType": "Group"}
        if current is None or any(current.get(k) != wanted[k] for k in ("displayName", "description", "teamType")):
            current = catalog.put("/teams", wanted, "team %s: %s" % (name, "created" if current is None else "updated"))
        ids[name] = current["id"]
    return ids


def reconcile_classification(catalog, classification):
    name = classification["name"]
    if catalog.get("/classifications/name/%s" % urllib.parse.quote(name)) is None:
        catalog.put("/classifications", {"name": name, "description": classification["description"]}, "classification %s: created" % name)
    for tag in classification["tags"]:
        fqn = "%s.%s" % (name, tag["name"])
        current = catalog.get("/tags/name/%s" % urllib.parse.quote(fqn))
        if current is None or current.get("description") != tag["description"]:
            catalog.put("/tags", {"name": tag["name"], "classification": name, "description": tag["description"]}, "tag %s: %s" % (fqn, "created" if current is None else "updated"))


def reconcile_service(catalog, service, credentials, team_ids):
    name = service["name"]
    owner = service["owner"]
    if owner not in team_ids:
        raise Problem("service %s: its owner %s is not one of the desired teams" % (name, owner))
    config = {
        "type": "Postgres",
        "scheme": "postgresql+psycopg2",
        "hostPort": service["hostPort"],
        "database": service["database"],
        "username": credentials["username"],
        "authType": {"password": credentials["password"]},
        "ingestAllDatabases": False,
    }
    current = catalog.get("/services/databaseServices/name/%s?fields=owners" % urllib.parse.quote(name))
    current_config = (((current or {}).get("connection") or {}).get("config")) or {}
    current_owners = [o.get("name") for o in (current or {}).get("owners") or []]
    same = current is not None and all(current_config.get(k) == config[k] for k in ("hostPort", "database", "username")) and current_owners == [owner]
    if not same:
        current = catalog.put("/services/databaseServices", {
            "name": name,
            "serviceType": "Postgres",
            "description": service["description"],
            "connection": {"config": config},
            "owners": [{"id": team_ids[owner], "type": "team"}],
        }, "database service %s (owner %s): %s" % (name, owner, "registered" if current is None else "updated"))
    pipeline_name = "%s_metadata" % name
    pipeline = catalog.get("/services/ingestionPipelines/name/%s" % urllib.parse.quote("%s.%s" % (name, pipeline_name)))
    schedule = ((pipeline or {}).get("airflowConfig") or {}).get("scheduleInterval")
    if pipeline is None or schedule != service["schedule"]:
        pipeline = catalog.put("/services/ingestionPipelines", {
            "name": pipeline_name,
            "displayName": "%s metadata" % name,
            "pipelineType": "metadata",
            "service": {"id": current["id"], "type": "databaseService"},
            "sourceConfig": {"config": {"type": "DatabaseMetadata", "includeViews": True, "markDeletedTables": True}},
            "airflowConfig": {"scheduleInterval": service["schedule"]},
        }, "ingestion of %s: %s" % (name, "created" if schedule is None else "rescheduled"))
        # Deploying hands the pipeline to the Kubernetes orchestrator (a CronJob in the catalog's namespace).
        catalog.call("POST", "/services/ingestionPipelines/deploy/%s" % pipeline["id"])
        log("  ingestion of %s: deployed (%s)" % (name, service["schedule"]))


def main():
    url = os.environ.get("OPENMETADATA_URL", "")
    password = os.environ.get("OPENMETADATA_ADMIN_PASSWORD", "")
    email = os.environ.get("OPENMETADATA_ADMIN_EMAIL", "admin@open-metadata.org")
    if not url or not password:
        log("OPENMETADATA_URL and OPENMETADATA_ADMIN_PASSWORD are required")
        return 2
    remember_secret(password)
    try:
        with open(os.environ.get("DESIRED_FILE", "/etc/catalog/desired.json")) as handle:
            desired = json.load(handle)
        with open(os.environ.get("SOURCES_FILE", "/etc/catalog-sources/sources.json")) as handle:
            sources = json.load(handle)
    except (OSError, ValueError) as error:
        log("cannot read the desired state: %s" % error)
        return 2
    for source in sources.values():
        remember_secret(source.get("password", ""))
    catalog = Catalog(url)
    try:
        log("catalog %s at %s" % (catalog.wait_until_ready(), url))
        sign_in(catalog, email, password)
    except Failure as failure:
        log("cannot start: %s" % failure)
        return 2
    failures = []
    team_ids = {}
    try:
        team_ids = reconcile_teams(catalog, desired.get("teams", []))
        reconcile_classification(catalog, desired["classification"])
    except Failure as failure:
        failures.append(str(failure))
    for service in desired.get("services", []):
        try:
            if service["name"] not in sources:
                raise Problem("service %s: no credentials in the sources file" % service["name"])
            reconcile_service(catalog, service, sources[service["name"]], team_ids)
        except (Failure, Problem) as failure:
            failures.append(str(failure))
    for failure in failures:
        log("FAILED " + failure)
    log("%d changes, %d failures" % (catalog.changes, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
`;
