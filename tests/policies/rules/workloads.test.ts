import { describe, expect, it } from "vitest";
import { looksLikeSecretKey } from "@mlops-platform/policies/rules";
import { container, deployment, messagesOf, object, podSpec, resource } from "../fixtures.js";

describe("container-resources", () => {
  it("fails when a container has no memory limit", () => {
    const app = container({ resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1" } } });
    expect(messagesOf("container-resources", [deployment("web", podSpec({ containers: [app] }))])).toEqual([
      'container "app" (spec.template.spec.containers[0]) is missing resources.limits.memory: set resources.limits.memory on container "app"',
    ]);
  });

  it("fails when an init container sets no resources at all", () => {
    const spec = podSpec({ initContainers: [{ name: "migrate", image: "registry.example.com/migrate:2.0.1" }] });
    const [message] = messagesOf("container-resources", [deployment("web", spec)]);
    expect(message).toContain('init container "migrate" (spec.template.spec.initContainers[0])');
    expect(message).toContain("set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory");
  });

  it("checks the containers of CronJobs", () => {
    const cron = object("batch/v1", "CronJob", "nightly", "team-vision", {
      spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "etl", image: "etl:1.0.0" }] } } } } },
    });
    expect(messagesOf("container-resources", [cron])[0]).toContain('container "etl" (spec.jobTemplate.spec.template.spec.containers[0])');
  });

  it("fails when a TrainJob trainer sets an incomplete resourcesPerNode", () => {
    const job = object("trainer.kubeflow.org/v1alpha1", "TrainJob", "finetune", "team-vision", {
      spec: { runtimeRef: { name: "torch-distributed" }, trainer: { image: "trainer:1.0.0", resourcesPerNode: { limits: { "nvidia.com/gpu": 1 } } } },
    });
    expect(messagesOf("container-resources", [job])[0]).toContain("trainer (spec.trainer) is missing resourcesPerNode.requests.cpu");
  });

  it("passes when every container sets cpu and memory requests and limits", () => {
    const spec = podSpec({ initContainers: [container({ name: "init" })] });
    expect(messagesOf("container-resources", [deployment("web", spec)])).toEqual([]);
  });

  it("passes a TrainJob that leaves resources to its training runtime", () => {
    const job = object("trainer.kubeflow.org/v1alpha1", "TrainJob", "finetune", "team-vision", {
      spec: { runtimeRef: { name: "torch-distributed" }, trainer: { image: "trainer:1.0.0" } },
    });
    expect(messagesOf("container-resources", [job])).toEqual([]);
  });
});

describe("no-host-access", () => {
  it("fails when a container is privileged", () => {
    const spec = podSpec({ containers: [container({ securityContext: { privileged: true } })] });
    const [message] = messagesOf("no-host-access", [deployment("web", spec)]);
    expect(message).toContain('container "app" (spec.template.spec.containers[0]) is privileged');
    expect(message).toContain("remove securityContext.privileged: true");
  });

  it("fails when a pod mounts a hostPath volume", () => {
    const spec = podSpec({ volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] });
    const [message] = messagesOf("no-host-access", [deployment("web", spec)]);
    expect(message).toContain('volume "docker" (spec.template.spec.volumes[0]) mounts the node\'s /var/run/docker.sock via hostPath');
    expect(message).toContain("use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret volume instead");
  });

  it("fails once for each of hostNetwork and hostPID", () => {
    const messages = messagesOf("no-host-access", [deployment("web", podSpec({ hostNetwork: true, hostPID: true }))]);
    expect(messages).toHaveLength(2);
    expect(messages.join("\n")).toContain("remove spec.template.spec.hostNetwork");
    expect(messages.join("\n")).toContain("remove spec.template.spec.hostPID");
  });

  it("passes node-level add-ons in the GPU operator's namespace", () => {
    const spec = podSpec({ hostPID: true, containers: [container({ securityContext: { privileged: true } })] });
    const daemonSet = object("apps/v1", "DaemonSet", "nvidia-driver", "gpu-operator", { spec: { template: { spec } } });
    expect(messagesOf("no-host-access", [daemonSet])).toEqual([]);
  });

  it("passes namespaces added to systemNamespaces, and only those", () => {
    const exporter = object("apps/v1", "DaemonSet", "node-exporter", "monitoring", { spec: { template: { spec: podSpec({ hostNetwork: true }) } } });
    expect(messagesOf("no-host-access", [exporter], { systemNamespaces: ["monitoring"] })).toEqual([]);
    expect(messagesOf("no-host-access", [exporter], { systemNamespaces: ["kube-system"] })).toHaveLength(1);
  });

  it("passes an ordinary workload", () => {
    expect(messagesOf("no-host-access", [deployment("web", podSpec())])).toEqual([]);
  });
});

describe("pinned-versions", () => {
  const withImage = (image: string) => deployment("web", podSpec({ containers: [container({ image })] }));

  it("fails when an image uses the latest tag", () => {
    const [message] = messagesOf("pinned-versions", [withImage("nginx:latest")]);
    expect(message).toContain('image "nginx:latest" uses the moving tag "latest"');
    expect(message).toContain('pin container "app" to a release tag or a digest, e.g. "nginx:<version>" or "nginx@sha256:<digest>"');
  });

  it("fails when an image has no tag, even behind a registry port", () => {
    expect(messagesOf("pinned-versions", [withImage("localhost:5000/ml/app")])[0]).toContain("has no tag, so it resolves to latest");
  });

  it("passes images pinned by release tag or by digest", () => {
    const digest = `ghcr.io/org/app@sha256:${"a".repeat(64)}`;
    expect(messagesOf("pinned-versions", [withImage("localhost:5000/ml/app:1.2.3"), deployment("api", podSpec({ containers: [container({ image: digest })] }))])).toEqual([]);
  });

  it.each(["^1.2.0", "1.x", "~1.2", ">=1.0.0", "1.2", ""])("fails when a Helm chart version is %j", (version) => {
    const chart = resource("kubernetes:helm.sh/v4:Chart", "cert-manager", { chart: "cert-manager", version, namespace: "cert-manager" });
    const [message] = messagesOf("pinned-versions", [chart]);
    expect(message).toContain('Helm chart "cert-manager"');
    expect(message).toContain('set version to an exact chart release (e.g. "1.2.3")');
  });

  it("fails when a Helm release sets no version", () => {
    const release = resource("kubernetes:helm.sh/v3:Release", "kuberay", { chart: "kuberay-operator", namespace: "ray" });
    expect(messagesOf("pinned-versions", [release])).toEqual([
      'Helm chart "kuberay-operator" sets no version: set version to an exact chart release (e.g. "1.2.3") so upgrades happen only when you change it',
    ]);
  });

  it("passes Helm charts with an exact version, and local charts", () => {
    expect(
      messagesOf("pinned-versions", [
        resource("kubernetes:helm.sh/v4:Chart", "cert-manager", { chart: "cert-manager", version: "v1.20.2" }),
        resource("kubernetes:helm.sh/v3:Release", "gpu-operator", { chart: "oci://nvcr.io/nvidia/gpu-operator", version: "25.3.0" }),
        resource("kubernetes:helm.sh/v4:Chart", "local", { chart: "./charts/platform" }),
      ]),
    ).toEqual([]);
  });

  it.each([
    ["https://github.com/kubeflow/manifests//apps/pipeline/upstream", "has no ?ref="],
    ["github.com/kubeflow/manifests/apps/katib?ref=master", "uses ?ref=master, which looks like a branch"],
    ["https://github.com/kubeflow/manifests//common?ref=v1.9-branch", "uses ?ref=v1.9-branch, which looks like a branch"],
  ])("fails when the remote kustomize directory %s is not pinned", (directory, problem) => {
    const [message] = messagesOf("pinned-versions", [resource("kubernetes:kustomize/v2:Directory", "kf", { directory })]);
    expect(message).toContain(problem);
    expect(message).toContain("end directory with ?ref=<release tag or commit SHA>");
  });

  it("passes remote kustomize directories pinned to a tag or a commit, and local ones", () => {
    const directories = [
      "https://github.com/kubeflow/manifests//apps/pipeline/upstream?ref=v1.10.0",
      "github.com/kubeflow/trainer/manifests/overlays/manager?ref=3f1c2a9b7d",
      "./manifests/overlays/dev",
    ];
    const resources = directories.map((directory, i) => resource("kubernetes:kustomize/v2:Directory", `kf-${i}`, { directory }));
    expect(messagesOf("pinned-versions", resources)).toEqual([]);
  });
});

describe("no-external-services", () => {
  const service = (type: string, ns = "serving", name = "model-api") =>
    object("core/v1", "Service", name, ns, { spec: { type, selector: { app: name }, ports: [{ port: 80 }] } });

  it.each(["LoadBalancer", "NodePort"])("fails when a Service is of type %s", (type) => {
    expect(messagesOf("no-external-services", [service(type)])).toEqual([
      `Service "serving/model-api" is of type ${type}, which exposes it outside the cluster: use type ClusterIP behind the platform's ingress, or add "serving/model-api" to allowedExternalServices in the policy config`,
    ]);
  });

  it("passes ClusterIP Services", () => {
    expect(messagesOf("no-external-services", [service("ClusterIP"), object("core/v1", "Service", "plain", "serving", { spec: {} })])).toEqual([]);
  });

  it("passes a LoadBalancer listed in allowedExternalServices, and only that one", () => {
    const gateway = service("LoadBalancer", "istio-system", "ingressgateway");
    const config = { allowedExternalServices: ["istio-system/ingressgateway"] };
    expect(messagesOf("no-external-services", [gateway], config)).toEqual([]);
    expect(messagesOf("no-external-services", [gateway, service("LoadBalancer")], config)).toHaveLength(1);
  });
});

describe("no-plaintext-secrets", () => {
  it("fails when a ConfigMap holds a password, without repeating the value", () => {
    const configMap = object("core/v1", "ConfigMap", "db", "team-vision", { data: { DB_HOST: "postgres", DB_PASSWORD: "hunter2" } });
    const messages = messagesOf("no-plaintext-secrets", [configMap]);
    expect(messages).toEqual([
      'ConfigMap "team-vision/db" data key "DB_PASSWORD" looks like a secret and holds a literal value: move it to a Secret (or an external secret store) and mount or reference that instead',
    ]);
    expect(messages.join("")).not.toContain("hunter2");
  });

  it("fails when a container sets a token as a literal env value", () => {
    const app = container({ env: [{ name: "MODEL_ID", value: "llama" }, { name: "HF_TOKEN", value: "hf_abc123" }] });
    const [message] = messagesOf("no-plaintext-secrets", [deployment("web", podSpec({ containers: [app] }))]);
    expect(message).toContain('container "app" (spec.template.spec.containers[0]) env "HF_TOKEN" holds a literal secret-looking value');
    expect(message).toContain("replace spec.template.spec.containers[0].env[1].value with valueFrom.secretKeyRef");
    expect(message).not.toContain("hf_abc123");
  });

  it("passes env values taken from a Secret, empty values and settings that only mention secrets", () => {
    const env = [
      { name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "hf", key: "token" } } },
      { name: "API_KEY", value: "" },
      { name: "TOKEN_URL", value: "https://auth.example.com/token" },
      { name: "MAX_NEW_TOKENS", value: "512" },
      { name: "DB_SECRET_NAME", value: "postgres-credentials" },
    ];
    expect(messagesOf("no-plaintext-secrets", [deployment("web", podSpec({ containers: [container({ env })] }))])).toEqual([]);
  });

  it.each([
    ["DB_PASSWORD", true],
    ["dbPassword", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["OPENAI_API_KEY", true],
    ["apiKey", true],
    ["tls-private-key", true],
    ["credentials.json", true],
    ["TOKEN_URL", false],
    ["PASSWORD_FILE", false],
    ["secretName", false],
    ["MAX_TOKENS", false],
    ["ENABLE_TOKEN_AUTH", false],
    ["PWD", false],
  ])("treats the key %s as secret: %s", (key, secret) => {
    expect(looksLikeSecretKey(key)).toBe(secret);
  });
});
