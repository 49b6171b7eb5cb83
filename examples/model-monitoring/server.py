"""A model service that exports the platform's model contract with prometheus_client.

A stand-in churn model (a logistic score of two features) behind POST /predict, and /metrics on the
container port named "metrics". Its ModelMonitor (stack-entry.yaml) names the same features and bucket
bounds, so Prometheus can compute drift from these histograms; the bounds must match exactly.

    python server.py --port 8080 --metrics-port 9100
    curl -XPOST localhost:8080/predict -d '{"tenure_months": 14, "monthly_spend": 55}'
"""

import argparse
import json
import math
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import Counter, Gauge, Histogram, start_http_server

MODEL = "churn"
VERSION = os.environ.get("MODEL_VERSION", "3")
LABELS = ["model", "version"]

# Bucket bounds of each input feature: the training data's quantiles, so every bin holds a similar share
# of it. The same bounds go into the ModelMonitor's `features` (stack-entry.yaml).
FEATURE_BUCKETS = {
    "tenure_months": [3, 6, 12, 24, 48],
    "monthly_spend": [20, 40, 60, 80, 120],
}
PREDICTION_BUCKETS = [0.1, 0.25, 0.5, 0.75, 0.9]

# prometheus_client fixes buckets per metric, not per label, so every feature shares one bucket list: the
# union of their bounds. Drift bins are made from the bounds the ModelMonitor names for each feature, so a
# feature's extra bounds (another feature's) only split bins the rules add back together.
ALL_FEATURE_BOUNDS = sorted({bound for bounds in FEATURE_BUCKETS.values() for bound in bounds})

feature_value = Histogram(
    "ml_feature_value", "Values of one input feature", LABELS + ["feature"], buckets=ALL_FEATURE_BOUNDS
)
prediction_value = Histogram("ml_prediction_value", "Predicted churn probability", LABELS, buckets=PREDICTION_BUCKETS)
quality = Gauge("ml_model_quality", "Quality on delayed ground truth", LABELS + ["metric"])
requests = Counter("ml_requests", "Prediction requests served", LABELS)
request_errors = Counter("ml_request_errors", "Prediction requests that failed", LABELS)
schema_violations = Counter("ml_input_schema_violations", "Requests whose input broke the schema", LABELS)
latency = Histogram("ml_request_duration_seconds", "Time to serve a prediction", LABELS)


def predict(features: dict) -> float:
    """A stand-in for a trained model: short tenure and high spend churn."""
    z = 1.5 - 0.08 * features["tenure_months"] + 0.02 * features["monthly_spend"]
    return 1 / (1 + math.exp(-z))


def valid(payload: object) -> bool:
    """The input schema: every feature present, a number, not negative."""
    return isinstance(payload, dict) and all(
        isinstance(payload.get(name), (int, float)) and payload[name] >= 0 for name in FEATURE_BUCKETS
    )


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the http.server API)
        if self.path != "/predict":
            self.send_error(404)
            return
        started = time.perf_counter()
        requests.labels(MODEL, VERSION).inc()
        try:
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
        except json.JSONDecodeError:
            payload = None
        if not valid(payload):
            schema_violations.labels(MODEL, VERSION).inc()
            request_errors.labels(MODEL, VERSION).inc()
            self.send_error(422, "expected numbers tenure_months and monthly_spend, not negative")
            return
        for name in FEATURE_BUCKETS:
            feature_value.labels(MODEL, VERSION, name).observe(payload[name])
        score = predict(payload)
        prediction_value.labels(MODEL, VERSION).observe(score)
        body = json.dumps({"churn_probability": score}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        latency.labels(MODEL, VERSION).observe(time.perf_counter() - started)

    def do_PUT(self) -> None:  # noqa: N802
        """PUT /quality {"auc": 0.84}: a ground-truth job reports how the model did once labels arrived."""
        if self.path != "/quality":
            self.send_error(404)
            return
        for metric, value in json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))).items():
            quality.labels(MODEL, VERSION, metric).set(float(value))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--metrics-port", type=int, default=9100)
    args = parser.parse_args()
    start_http_server(args.metrics_port)  # the container port named "metrics"
    ThreadingHTTPServer(("0.0.0.0", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
