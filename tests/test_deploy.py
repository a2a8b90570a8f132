"""Beyond one machine: what can be checked here of deploy/Dockerfile and deploy/k8s/.

Images cannot be built and clusters cannot run here, so:
- the Kubernetes manifests validate offline against the API's schemas (kubernetes-validate,
  strict: unknown fields are errors), and they agree with each other and with the Dockerfile
  (labels, ports, probes on /_stcore/health, cookie affinity for websockets, the user id);
- the Dockerfile is slim, pinned, non-root, health-checked and ships the project's config.toml;
- the container's own command (its CMD and ENV, run from the repository root as the image's
  WORKDIR holds the same files) starts the app here: /_stcore/health answers ok, the image's
  HEALTHCHECK command passes, and a page loads over the websocket without an exception.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
K8S_VERSIONS = ("1.30.0", "1.37.0")


# --------------------------------------------------------------------------- Dockerfile
def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out: list[tuple[str, str]] = []
    buf = ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.strip().startswith("#") and not buf:
            continue
        if line.rstrip().endswith("\\"):
            buf += line.rstrip()[:-1] + " "
            continue
        full = (buf + line).strip()
        buf = ""
        if full:
            name, _, args = full.partition(" ")
            out.append((name.upper(), args.strip()))
    return out


def one(name: str) -> str:
    found = [a for n, a in instructions() if n == name]
    assert found, f"no {name} in {DOCKERFILE}"
    return found[-1]


def env() -> dict[str, str]:
    values: dict[str, str] = {}
    for n, a in instructions():
        if n == "ENV":
            for part in shlex.split(a):
                k, _, v = part.partition("=")
                values[k] = v
    return values


def test_dockerfile_slim_pinned_non_root_health_checked() -> None:
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", one("FROM")), one("FROM")
    user = one("USER")
    assert user not in ("root", "0")
    uid = re.search(
        r"useradd .*--uid (\d+) .*\b" + user + r"\b",
        one("RUN") + " " + " ".join(a for n, a in instructions() if n == "RUN"),
    )
    assert uid and int(uid.group(1)) >= 1000
    # pinned requirements: the image installs requirements.txt, every line of which is pinned
    assert any("pip install" in a and "-r requirements.txt" in a for n, a in instructions() if n == "RUN")
    reqs = [x.split("#")[0].strip() for x in (ROOT / "requirements.txt").read_text().splitlines()]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", r) for r in reqs if r), reqs
    # the project's config, the app's files
    copies = [a for n, a in instructions() if n == "COPY"]
    assert any(".streamlit/config.toml" in c for c in copies)
    for needed in ("app.py", "attention_core/", "pages/", "ui/"):
        assert any(needed in c for c in copies), needed
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not {".streamlit", "app.py", "pages", "ui", "attention_core"} & set(ignored)
    # health check on /_stcore/health, the port exposed is the port served
    assert "/_stcore/health" in one("HEALTHCHECK")
    assert one("EXPOSE") == env()["STREAMLIT_SERVER_PORT"] == "8501"


def test_container_command_starts_the_app_here(tmp_path: Path) -> None:
    """Run the image's CMD with its ENV (port → a free one, address → loopback) from the repo root."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT / "tests" / "classroom"))
    import classroom
    from classroom_helpers import run_async
    from server import free_port, health, stop

    cmd = json.loads(one("CMD"))
    assert cmd[:4] == ["python", "-m", "streamlit", "run"] and cmd[4] == "app.py"
    port = free_port()
    run_env = {**os.environ, **env(), "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_ADDRESS": "127.0.0.1"}
    log = (tmp_path / "container.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, *cmd[1:]], cwd=ROOT, env=run_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while health(f"{url}/_stcore/health") != "ok":
            assert proc.poll() is None, (tmp_path / "container.log").read_text()
            assert time.monotonic() < deadline, "no answer on /_stcore/health"
            time.sleep(0.3)
        # the image's HEALTHCHECK command, as Docker would run it inside the container
        hc = json.loads(one("HEALTHCHECK").split("CMD", 1)[1].strip())
        assert hc[0] == "python"
        assert subprocess.run([sys.executable, *hc[1:]], env=run_env, timeout=30).returncode == 0

        async def page() -> None:
            s = classroom.Session(url, timeout=90)
            r = await s.load("step_by_step")
            await s.close()
            assert r.ok and r.exceptions == 0, (r, s.exception_texts)

        run_async(page())
    finally:
        stop(proc)
        log.close()


# --------------------------------------------------------------------------- Kubernetes
def manifests() -> dict[str, dict]:
    docs: dict[str, dict] = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") != "Kustomization":
                docs[doc["kind"]] = doc
    return docs


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_manifests_validate_against_the_kubernetes_schemas(version: str) -> None:
    import kubernetes_validate

    docs = manifests()
    assert set(docs) == {"Deployment", "Service", "Ingress"}
    for doc in docs.values():
        kubernetes_validate.validate(doc, version, strict=True)
    # the validator does reject a wrong manifest (strict: unknown fields too)
    bad = yaml.safe_load((K8S / "deployment.yaml").read_text())
    bad["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["pathh"] = "/"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, version, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    k = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(k["resources"]) == sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def test_manifests_agree_with_each_other_and_the_image() -> None:
    docs = manifests()
    dep, svc, ing = docs["Deployment"], docs["Service"], docs["Ingress"]
    spec = dep["spec"]
    assert spec["replicas"] >= 2
    pod_labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= pod_labels.items()
    assert svc["spec"]["selector"].items() <= pod_labels.items()
    (c,) = spec["template"]["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert ports == {"http": int(env()["STREAMLIT_SERVER_PORT"])}
    for probe in ("readinessProbe", "livenessProbe"):
        assert c[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}, probe
    # liveness is more patient than readiness: a busy pod leaves the rotation before it is restarted
    live, ready = c["livenessProbe"], c["readinessProbe"]
    assert live["periodSeconds"] * live["failureThreshold"] > ready["periodSeconds"] * ready["failureThreshold"]
    sec = spec["template"]["spec"]["securityContext"]
    uid = re.search(r"--uid (\d+)", " ".join(a for n, a in instructions() if n == "RUN"))
    assert sec["runAsNonRoot"] is True and sec["runAsUser"] == int(uid.group(1))
    assert c["image"].split(":")[0] in DOCKERFILE.read_text()  # the tag the Dockerfile says to build
    # Service → pods, Ingress → Service
    (sp,) = svc["spec"]["ports"]
    assert sp["targetPort"] == "http"
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"] and backend["port"]["name"] == sp["name"]
    # cookie affinity (sessions live in one pod) and websocket-friendly timeouts
    ann = ing["metadata"]["annotations"]
    assert ann["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert ann["nginx.ingress.kubernetes.io/session-cookie-name"]
    assert int(ann["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert int(ann["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600
